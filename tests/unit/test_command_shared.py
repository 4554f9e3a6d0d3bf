"""What commands keep beside the packages they stand for, so that `xacct --help` imports neither
the engine nor the runbook catalogue, stays the same as there."""


def test_account_and_ou_shapes_are_the_engines():
    from xacct.commands import shared
    from xacct.engine import org_units

    assert shared.ACCOUNT.pattern == org_units.ACCOUNT.pattern
    assert shared.OU.pattern == org_units.OU.pattern


def test_the_runbooks_variable_is_the_registrys():
    from xacct.commands import runbook_folders
    from xacct.runbooks import registry

    assert runbook_folders.ENVIRONMENT == registry.ENVIRONMENT


def test_help_imports_neither_the_engine_nor_the_catalogue():
    import subprocess
    import sys

    code = ("import sys; from xacct.cli import main; sys.argv = ['xacct', '--help']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in sys.modules if m.startswith(('xacct.engine', 'xacct.runbooks', 'moto'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60).stdout
    assert out.strip().splitlines()[-1] == "[]"
