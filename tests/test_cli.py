"""The `xacct` command: exit codes, output formats, help texts, and start-up cost."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from xacct.cli import cli

CLEAN = 'schemaVersion: "0.3"\nmainSteps:\n  - name: a\n    action: aws:sleep\n    inputs: {Duration: PT1S}\n'
BROKEN = CLEAN.replace("aws:sleep", "aws:slep")


@pytest.fixture
def files(tmp_path):
    (tmp_path / "clean.yaml").write_text(CLEAN)
    (tmp_path / "broken.yaml").write_text(BROKEN)
    return tmp_path


def run(*args):
    return CliRunner().invoke(cli, list(args))


def test_clean_file_exits_0(files):
    result = run("validate", str(files / "clean.yaml"))
    assert result.exit_code == 0 and result.output == ""


def test_error_exits_1_with_location(files):
    result = run("validate", str(files / "broken.yaml"))
    assert result.exit_code == 1
    assert result.output.startswith(f"{files / 'broken.yaml'}:4:13: E2003 error: unknown action 'aws:slep'")


def test_json_output(files):
    result = run("validate", "--output", "json", str(files))
    assert result.exit_code == 1
    [finding] = json.loads(result.output)
    assert set(finding) == {"path", "line", "column", "id", "severity", "message"}
    assert finding["severity"] == "error" and finding["id"] == "E2003"


def test_unreadable_path_exits_2_and_still_checks_the_rest(files):
    result = run("validate", str(files / "missing.yaml"), str(files / "broken.yaml"))
    assert result.exit_code == 2
    assert "E2003" in result.stdout
    assert "cannot read" in result.output


def test_usage_error_exits_2():
    assert run("validate").exit_code == 2
    assert run("validate", "--output", "xml", "x").exit_code == 2


def test_every_command_has_help_with_an_example():
    for name, command in cli.commands.items():
        result = run(name, "--help")
        assert result.exit_code == 0, name
        assert "Example" in result.output, f"{name} --help has no example"
    assert "Example" in run("--help").output


def test_help_does_not_load_the_aws_sdk_or_moto():
    code = (
        "import sys\n"
        "from xacct.cli import main\n"
        "sys.argv = ['xacct', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = [m for m in ('boto3', 'botocore', 'moto', 'jsonpath_ng') if m in sys.modules]\n"
        "print(heavy)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_demo_runs():
    # its own process, as users run it: its worlds need the sandbox's accounts to themselves
    result = subprocess.run([sys.executable, "-m", "xacct", "demo"], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "E5001" in result.stdout
    assert "in the target location is unable to be assumed." in result.stdout
    assert "fix: aws ssm modify-document-permission --name InstallApp" in result.stdout
    assert "222222222222  ok" in result.stdout


def test_module_entry_point(files):
    result = subprocess.run([sys.executable, "-m", "xacct", "validate", str(files / "clean.yaml")],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_rules_reference_is_current():
    from xacct.document.rules_doc import render

    assert (Path(__file__).parents[1] / "docs" / "rules.md").read_text() == render()


def test_every_command_keeps_its_examples_on_their_own_lines():
    """Click keeps a paragraph as written only after a \\b line; a literal backslash-b rewraps it."""
    from click.testing import CliRunner

    from xacct.cli import cli

    for name, command in cli.commands.items():
        for sub in ([command] + list(getattr(command, "commands", {}).values())):
            assert "\\b" not in (sub.help or ""), name
    result = CliRunner().invoke(cli, ["run", "--help"])
    assert "\n  Examples:\n    xacct run share-ami.yaml" in result.output


def test_a_world_file_that_cannot_be_read_is_said_so_by_every_command(tmp_path):
    missing = str(tmp_path / "no-such-world.yaml")
    for args in (["run", "X", "--world", missing], ["doctor", "X", "--world", missing],
                 ["sandbox", "serve", "--world", missing]):
        result = subprocess.run([sys.executable, "-m", "xacct", *args], capture_output=True, text=True, timeout=60)
        assert result.returncode == 2, args
        assert result.stderr.strip() == f"xacct: cannot read {missing}: No such file or directory", args
