"""Files into documents: runbooks, CloudFormation templates (Content as a mapping, a string, a
!Sub string), and files that are wrong in every way a file can be."""

import json
import os

import pytest

from xacct.document.loader import MAX_FILE_BYTES, UnreadableInput, load_file, load_text

RUNBOOK = 'schemaVersion: "0.3"\nmainSteps:\n  - name: a\n    action: aws:sleep\n    inputs: {Duration: PT1S}\n'


def template(content_yaml: str, document_type: str = "Automation") -> str:
    return (
        "AWSTemplateFormatVersion: '2010-09-09'\n"
        "Resources:\n"
        "  Doc:\n"
        "    Type: AWS::SSM::Document\n"
        "    Properties:\n"
        f"      DocumentType: {document_type}\n"
        f"      Content:{content_yaml}"
    )


def test_plain_runbook():
    loaded = load_text("r.yaml", RUNBOOK)
    assert loaded.findings == [] and loaded.documents[0].name is None
    assert loaded.documents[0].positions.of(("mainSteps", 0, "action")).line == 4


def test_template_with_content_mapping_keeps_template_positions():
    content = "\n        schemaVersion: '0.3'\n        mainSteps:\n          - name: a\n            action: aws:sleep\n"
    [doc] = load_text("t.yaml", template(content)).documents
    assert doc.name == "Doc"
    assert doc.positions.of(("mainSteps", 0, "action")).line == 11


def test_template_with_block_string_content():
    content = " |\n        schemaVersion: '0.3'\n        mainSteps:\n          - name: a\n            action: aws:sleep\n"
    [doc] = load_text("t.yaml", template(content)).documents
    assert doc.content["mainSteps"][0]["action"] == "aws:sleep"
    mark = doc.positions.of(("mainSteps", 0, "action"))
    assert (mark.line, mark.column) == (11, 21)


def test_template_with_json_string_content():
    content = " '" + json.dumps({"schemaVersion": "0.3", "mainSteps": []}) + "'\n"
    [doc] = load_text("t.yaml", template(content)).documents
    assert doc.content["schemaVersion"] == "0.3"
    assert doc.positions.of(("mainSteps",)).line == 7  # a quoted string: every mark at its start


def test_template_with_sub_content():
    content = " !Sub |\n        schemaVersion: '0.3'\n        description: ${AWS::Region}\n        mainSteps: []\n"
    [doc] = load_text("t.yaml", template(content)).documents
    assert doc.content["description"] == "${AWS::Region}"


def test_json_template():
    text = json.dumps({"Resources": {"D": {"Type": "AWS::SSM::Document", "Properties": {
        "DocumentType": "Automation", "Content": {"schemaVersion": "0.3", "mainSteps": []}}}}}, indent=1)
    [doc] = load_text("t.json", text).documents
    assert doc.name == "D"


def test_command_documents_in_templates_are_not_runbooks():
    assert load_text("t.yaml", template(" {schemaVersion: '2.2', mainSteps: []}\n", "Command")).documents == []


def test_content_built_by_a_function_is_reported():
    loaded = load_text("t.yaml", template(" !Join ['', [a]]\n"))
    assert [f.id for f in loaded.findings] == ["W0005"]


def test_bad_string_content_points_into_the_template():
    content = " |\n        schemaVersion: '0.3'\n        mainSteps: [\n"
    [finding] = load_text("t.yaml", template(content)).findings
    assert finding.id == "E0001" and finding.line >= 8


def test_missing_file_and_directory_are_unreadable(tmp_path):
    with pytest.raises(UnreadableInput):
        load_file(str(tmp_path / "nope.yaml"))
    with pytest.raises(UnreadableInput):
        load_file(str(tmp_path))


def test_oversized_file_is_one_finding(tmp_path):
    big = tmp_path / "big.yaml"
    with open(big, "wb") as handle:
        handle.write(b"a: " + b"x" * (MAX_FILE_BYTES + 1))
    [finding] = load_file(str(big)).findings
    assert finding.id == "E0002"


def test_binary_file_is_one_finding(tmp_path):
    garbage = tmp_path / "g.yaml"
    garbage.write_bytes(b"schemaVersion: '0.3'\n\xff\xfe\x00\x81")
    [finding] = load_file(str(garbage)).findings
    assert finding.id == "E0001" and finding.line == 2


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_a_device_without_end_is_read_only_up_to_the_limit():
    """A path with no size to check first (a device, a pipe) is read one byte past the limit, not
    to the end it may never have."""
    from xacct.document.validate import validate_file

    [finding] = validate_file("/dev/zero")
    assert finding.id == "E0002" and "more than 2 MB" in finding.message
