"""S2 (seed 002): the runbook of the CloudFormation template validates clean, and without its
conversion step the StringList-for-String pitfall is reported where it stands."""

from pathlib import Path

from xacct.document.loader import load_file
from xacct.document.validate import validate_file, validate_text

TEMPLATE = Path(__file__).parent / "fixtures" / "seed002-template.yaml"


def test_template_holds_one_automation_runbook():
    loaded = load_file(str(TEMPLATE))
    assert [d.name for d in loaded.documents] == ["CreateAndShareAmiRunbook"]
    steps = [s["name"] for s in loaded.documents[0].content["mainSteps"]]
    assert steps == ["createImage", "convertStringListToString", "shareAmiWithAnotherAccount"]


def test_seed_runbook_validates_clean():
    assert validate_file(str(TEMPLATE)) == []


def test_without_conversion_step_the_type_rule_fires_at_image_id():
    text = TEMPLATE.read_text()
    start = text.index("          - name: convertStringListToString")
    end = text.index("          - name: shareAmiWithAnotherAccount")
    broken = (text[:start] + text[end:]).replace("{{convertStringListToString.Ami}}", "{{createImage.Output}}")
    findings = validate_text(broken, "broken.yaml")
    assert [f.id for f in findings] == ["E5001"]
    line = broken.splitlines()[findings[0].line - 1]
    assert "ImageId" in line and "{{createImage.Output}}" in line
    assert line.index('"{{createImage.Output}}"') + 1 == findings[0].column


def test_original_python38_runtime_is_reported_as_retired():
    """AWS announced that SSM would stop running python3.8 steps from 2025-02-18: a warning."""
    text = TEMPLATE.read_text().replace("Runtime: python3.11", "Runtime: python3.8")
    assert [f.id for f in validate_text(text, "seed.yaml")] == ["W2012"]
