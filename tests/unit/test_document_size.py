"""SSM's 64 KB for a document's content (CreateDocument: MaxDocumentSizeExceeded): a runbook over
it is refused before it is parsed, and so is each runbook of a template, whose file may be larger."""

import json

from xacct.document.loader import MAX_DOCUMENT_BYTES, load_text
from xacct.document.validate import validate_text

STEP = "  - {name: s%d, action: aws:sleep, inputs: {Duration: PT1S}}\n"


def runbook(steps: int) -> str:
    return "schemaVersion: '0.3'\nmainSteps:\n" + "".join(STEP % i for i in range(steps))


def test_a_runbook_over_64_kb_is_refused_before_it_is_parsed():
    text = runbook(1500) + "broken: [yaml\n"  # a parse would find this; the size is found first
    assert len(text) > MAX_DOCUMENT_BYTES
    [finding] = validate_text(text, "big.yaml")
    assert (finding.id, finding.severity, finding.line, finding.column) == ("E0002", "error", 1, 1)
    assert "SSM refuses document content over 64 KB (CreateDocument: MaxDocumentSizeExceeded)" in finding.message


def test_a_runbook_within_64_kb_is_validated():
    text = runbook(1000)
    assert len(text) < MAX_DOCUMENT_BYTES
    assert validate_text(text, "r.yaml") == []


def test_the_size_is_counted_in_utf8_bytes():
    text = runbook(1) + "description: '" + "\u00e9" * 34_000 + "'\n"  # 34,000 characters, 68,000 bytes
    assert [f.id for f in validate_text(text, "r.yaml")] == ["E0002"]


def test_a_runbook_that_names_the_template_type_is_measured_after_parsing():
    text = runbook(1500).replace("mainSteps:", "description: makes an AWS::SSM::Document\nmainSteps:")
    assert [f.id for f in validate_text(text, "r.yaml")] == ["E0002"]


def template(**contents) -> str:
    resources = {name: {"Type": "AWS::SSM::Document",
                        "Properties": {"DocumentType": "Automation", "Content": content}}
                 for name, content in contents.items()}
    return json.dumps({"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}, indent=1)


def small() -> dict:
    return {"schemaVersion": "0.3", "mainSteps": [{"name": "s", "action": "aws:sleep", "inputs": {"Duration": "PT1S"}}]}


def big() -> dict:
    return {"schemaVersion": "0.3", "mainSteps": [{"name": f"s{i}", "action": "aws:sleep",
                                                   "inputs": {"Duration": "PT1S"}} for i in range(1500)]}


def test_each_runbook_of_a_template_is_held_to_64_kb():
    text = template(Big=big(), Small=small(), BigText=json.dumps(big()))
    loaded = load_text("t.json", text)
    assert [source.name for source in loaded.documents] == ["Small"]  # the others are not validated
    found = sorted((f.id, f.message.split(":")[0]) for f in loaded.findings)
    assert found == [("E0002", "Big"), ("E0002", "BigText")]
    assert all("64 KB" in f.message and f.line > 1 for f in loaded.findings)  # at its Content


def test_a_template_larger_than_64_kb_of_small_runbooks_is_validated():
    text = template(**{f"R{i}": small() for i in range(400)})
    assert len(text) > MAX_DOCUMENT_BYTES
    assert validate_text(text, "t.json") == [] and len(load_text("t.json", text).documents) == 400
