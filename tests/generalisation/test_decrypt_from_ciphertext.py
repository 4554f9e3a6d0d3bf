"""A kms:Decrypt that names no key is judged on the key that made its ciphertext ("Decrypt",
https://docs.aws.amazon.com/kms/latest/APIReference/API_Decrypt.html). Doctor cannot read a
ciphertext before the run, so it judges such a call on its identity policies alone; when the key
policy then refuses it in the run, `xacct executions show` must not claim a doctor finding foresaw
it (issue 11, defect 6's link, for the key found from the ciphertext)."""

from pathlib import Path

from click.testing import CliRunner

from tests.generalisation import harness
from xacct.cli import cli
from xacct.doctor.findings import finding_for
from xacct.store import Store

WORLD = Path(__file__).parent / "worlds" / "reef-ciphertext.yaml"
REGION = "eu-west-3"
SEALED, OPEN = "676000000002", "676000000003"


def test_a_decrypt_refused_on_the_key_of_its_ciphertext_links_to_no_finding(sandbox, tmp_path):
    store = Store(tmp_path / "executions.db")
    try:
        checked = harness.check(sandbox, store, WORLD, "SealAndOpen", "676000000001",
                                [(SEALED, REGION), (OPEN, REGION)], REGION)
        assert checked.outcomes[(OPEN, REGION)].status == "Success"  # the key policy delegates to IAM
        sealed = checked.outcomes[(SEALED, REGION)]
        assert sealed.status == "Failed"
        assert sealed.explanation["layer"] == "kms" and sealed.explanation["keyFromCiphertext"] is True
        assert checked.errors_at(SEALED, REGION) == []  # doctor did not (could not) foresee it
        assert sealed.foreseen_by is None
        shown = CliRunner().invoke(cli, ["--store", str(tmp_path / "executions.db"), "executions", "show",
                                         sealed.parent_id])
        assert shown.exit_code == 0, shown.output
        assert "because no resource-based policy allows the kms:Decrypt action" in shown.output
        assert "foreseen by" not in shown.output
    finally:
        store.close()


def test_the_same_denial_on_a_key_the_call_names_links_to_d304():
    explanation = {"decision": "implicitDeny", "layer": "kms", "missing": "kms", "action": "kms:Decrypt",
                   "principal": f"arn:aws:sts::{SEALED}:assumed-role/Runner/s",
                   "resource": f"arn:aws:kms:{REGION}:{SEALED}:key/1234abcd-12ab-34cd-56ef-1234567890ab"}
    assert finding_for(explanation) == "D304"
    assert finding_for({**explanation, "keyFromCiphertext": True}) is None


def test_queue_and_topic_denials_link_to_their_own_findings():
    base = {"decision": "implicitDeny", "layer": "resource", "missing": "resource", "action": "sqs:SendMessage",
            "principal": f"arn:aws:sts::{OPEN}:assumed-role/Runner/s",
            "resource": f"arn:aws:sqs:{REGION}:{SEALED}:intake"}
    assert finding_for(base) == "D307"
    assert finding_for({**base, "decision": "explicitDeny"}) == "D308"
    assert finding_for({**base, "resource": f"arn:aws:sns:{REGION}:{SEALED}:pager"}) == "D307"
    assert finding_for({**base, "resource": "*"}) is None
