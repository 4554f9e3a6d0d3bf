"""The S1 report in real headless Chromium: the matrix, the cause group, and the filters working
in the page itself (no server). Screenshots are kept in the test's folder, whose path is printed.
Without Chromium, chromedriver or selenium the tests skip and say how to get them."""

import pytest

from . import browser
from .conftest import IDS, TOKYO, VIRGINIA

pytestmark = pytest.mark.skipif(browser.missing() is not None, reason=browser.missing() or "")


@pytest.fixture
def page(s1_run, tmp_path):
    _, _, report, _ = s1_run
    driver = browser.start()
    try:
        driver.get(report.as_uri())
        yield driver
    finally:
        browser.stop(driver)
    print(f"\nscreenshots: {tmp_path}")


def shown(driver, selector):
    return [e for e in driver.find_elements("css selector", selector) if e.is_displayed()]


def test_matrix_and_cause_group_as_the_browser_shows_them(page, tmp_path):
    from selenium.webdriver.common.by import By

    page.save_screenshot(str(tmp_path / "s1-report.png"))
    _, a, b = IDS
    cells = page.find_elements(By.CSS_SELECTOR, "#matrix td.cell")
    assert [(c.get_attribute("data-account"), c.get_attribute("data-region")) for c in cells] == [
        (a, TOKYO), (a, VIRGINIA), (b, TOKYO), (b, VIRGINIA)]
    assert all(c.text == "1 Failed" and "s-Failed" in c.get_attribute("class") for c in cells)
    # the colour a reader sees: the failed cells are red, not the default white
    assert {c.value_of_css_property("background-color") for c in cells} == {"rgba(255, 216, 211, 1)"}
    [cause] = shown(page, ".cause")
    assert cause.text.startswith("4 targets:") and "s3:PutEncryptionConfiguration" in cause.text
    assert "D301" in cause.text and "fix:" in cause.text
    assert page.find_element(By.ID, "shown").text == "4 of 4 targets shown"


def test_filters_and_search_work_without_a_server(page, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    _, a, b = IDS
    Select(page.find_element(By.ID, "f-account")).select_by_value(a)
    targets = shown(page, "details.target")
    assert len(targets) == 2 and all(a in t.text for t in targets)
    assert page.find_element(By.ID, "shown").text == "2 of 4 targets shown"
    dimmed = [c.get_attribute("data-account") for c in page.find_elements(By.CSS_SELECTOR, "#matrix td.dim")]
    assert dimmed == [b, b]
    page.save_screenshot(str(tmp_path / "s1-filtered-by-account.png"))

    Select(page.find_element(By.ID, "f-status")).select_by_value("Failed")
    assert len(shown(page, "details.target")) == 2
    page.find_element(By.ID, "f-search").send_keys("matches no target")
    assert shown(page, "details.target") == [] and shown(page, ".cause") == []
    page.find_element(By.ID, "f-clear").click()
    assert len(shown(page, "details.target")) == 4

    page.find_element(By.ID, "f-search").send_keys(f"logs-{b}-{VIRGINIA}")
    [target] = shown(page, "details.target")
    assert f"{b} {VIRGINIA}" in target.text
    page.find_element(By.ID, "f-clear").click()

    Select(page.find_element(By.ID, "f-step")).select_by_value("PutBucketEncryption")
    assert len(shown(page, "details.target")) == 4
    page.find_elements(By.CSS_SELECTOR, "#matrix td.cell")[3].click()  # a cell filters to its location
    [target] = shown(page, "details.target")
    assert f"{b} {VIRGINIA}" in target.text
    target.find_element(By.TAG_NAME, "summary").click()
    assert "is not authorized to perform: s3:PutEncryptionConfiguration" in target.text
    assert "foreseen by: xacct doctor D301" in target.text
    page.save_screenshot(str(tmp_path / "s1-one-target.png"))
