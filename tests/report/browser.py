"""Headless Chromium for the report's browser tests and bench/report.py, driven with selenium
(Debian's `chromium` and `chromium-driver`). `start` says why it cannot when either is missing."""

from __future__ import annotations

import shutil
import tempfile

HOW_TO_GET = ("headless Chromium is needed: apt-get install -y chromium chromium-driver, and "
              "pip install 'selenium>=4.20,<5' (the test extra)")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--window-size=1280,1000"]


def missing() -> str | None:
    """Why a browser cannot start here, or None."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return HOW_TO_GET + " (selenium is not installed)"
    if not (shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")):
        return HOW_TO_GET + " (no chromium on PATH)"
    if not shutil.which("chromedriver"):
        return HOW_TO_GET + " (no chromedriver on PATH)"
    return None


def start():
    """A fresh headless Chromium with its own profile folder (removed by `stop`)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="xacct-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which(
        "google-chrome")
    for flag in FLAGS + [f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=Service(shutil.which("chromedriver")))
    driver._xacct_profile = profile
    return driver


def stop(driver) -> None:
    try:
        driver.quit()
    finally:
        shutil.rmtree(driver._xacct_profile, ignore_errors=True)
