"""Reading a folder of documents and choosing among sources (xacct.runbooks), without a sandbox."""

import json

import pytest
import yaml

from tests.runbooks.documents import YAML_RUNBOOK, json_runbook, write_folder
from xacct.runbooks import FolderError, Registry, Shelf, load_folder
from xacct.runbooks.registry import default_version


def test_names_come_from_file_names_and_metadata(tmp_path):
    write_folder(tmp_path, 2)
    (tmp_path / "deep" / "er").mkdir(parents=True)
    (tmp_path / "deep" / "er" / "whatever.yml").write_text(YAML_RUNBOOK.format(index=7))
    (tmp_path / "deep" / "er" / "whatever.metadata.json").write_text(json.dumps(
        {"Name": "Example-Named", "DocumentVersion": "4", "Description": "from the metadata"}))
    loaded = load_folder(str(tmp_path))
    assert sorted((e.name, e.version, e.fmt) for e in loaded.entries) == [
        ("Example-Named", "4", "YAML"), ("Example-Thing0000", "1", "JSON"), ("Example-Thing0001", "1", "YAML")]
    named = next(e for e in loaded.entries if e.name == "Example-Named")
    assert named.description("4", "4")["Description"] == "from the metadata"
    assert loaded.skipped == []


def test_what_is_not_a_document_is_skipped_with_the_reason(tmp_path):
    (tmp_path / "template.yaml").write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n")
    (tmp_path / "broken.json").write_text('{"schemaVersion": "0.3",')
    (tmp_path / "ab.yaml").write_text(YAML_RUNBOOK.format(index=1))  # too short a name for SSM
    (tmp_path / "README.md").write_text("not read at all")
    reasons = {p.rsplit("/", 1)[-1]: why for p, why in load_folder(str(tmp_path)).skipped}
    assert set(reasons) == {"template.yaml", "broken.json", "ab.yaml"}
    assert reasons["template.yaml"].startswith("not an SSM document")
    assert reasons["broken.json"].startswith("not JSON: ")
    assert "is not a document name" in reasons["ab.yaml"]


def test_a_missing_folder_is_refused_by_name(tmp_path):
    with pytest.raises(FolderError, match="no such folder"):
        load_folder(str(tmp_path / "nope"))


def test_content_is_served_as_written_and_converted_on_request(tmp_path):
    write_folder(tmp_path, 2)
    registry = Registry((str(tmp_path),))
    as_yaml = registry.find("Example-Thing0001")
    assert as_yaml.get(None)["Content"] == YAML_RUNBOOK.format(index=1)  # its comment too
    assert json.loads(as_yaml.get("JSON")["Content"]) == yaml.safe_load(YAML_RUNBOOK.format(index=1))
    as_json = registry.find("Example-Thing0000")
    assert as_json.get("JSON")["Content"] == (tmp_path / "Example-Thing0000.json").read_text()
    assert yaml.safe_load(as_json.get("YAML")["Content"]) == json_runbook(0)
    assert as_json.identifier()["DocumentFormat"] == "JSON" and as_json.identifier()["Owner"] == "Amazon"


def test_a_folder_wins_over_the_catalogue_which_wins_over_xacct(tmp_path):
    shelf = Shelf(str(tmp_path / "catalogue"))
    text = YAML_RUNBOOK.format(index=9)
    for version in ("2", "10"):
        shelf.save("eu-west-1", "AWS-StopEC2Instance", version, "YAML", text, {"DefaultVersion": "2"})
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "AWS-CreateImage.yaml").write_text(text)
    registry = Registry((str(folder),), shelf)
    assert registry.find("AWS-CreateImage", "us-east-1").source == str(folder)
    pulled = registry.versions("AWS-StopEC2Instance", "eu-west-1")
    assert [e.version for e in pulled] == ["2", "10"] and default_version(pulled) == "2"
    assert registry.find("AWS-StopEC2Instance", "eu-west-1").version == "2"
    assert registry.find("AWS-StopEC2Instance", "eu-west-1", "10").version == "10"
    # pulled in eu-west-1 only: elsewhere xacct's own stays the default
    assert registry.find("AWS-StopEC2Instance", "us-east-1").source == "xacct"
    assert registry.find("AWS-StopEC2Instance", "us-east-1", "10") is None


def test_a_half_stored_version_is_not_stored(tmp_path):
    shelf = Shelf(str(tmp_path))
    shelf.save("us-east-1", "Example-Whole", "3", "JSON", json.dumps(json_runbook(3)), {})
    (tmp_path / "us-east-1" / "Example-Half").mkdir()
    (tmp_path / "us-east-1" / "Example-Half" / "1.json").write_text(json.dumps(json_runbook(1)))
    assert shelf.has("us-east-1", "Example-Whole", "3") and not shelf.has("us-east-1", "Example-Half", "1")
    assert [e.name for e in shelf.load().entries] == ["Example-Whole"]
