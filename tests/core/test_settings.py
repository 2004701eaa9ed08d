"""Settings come from the environment; production mode passes Django's deployment checks."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.utils import get_random_secret_key

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args: str, env_changes: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    # a production process has none of the test run's switches (the browser tests allow async-unsafe calls)
    test_only = {"DJANGO_SETTINGS_MODULE", "CRM_TESTING", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in test_only}
    env.update({"CRM_VAR_DIR": str(tmp_path / "var"), **env_changes})
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=tmp_path,  # not the project folder: manage.py must find its settings on its own
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.slow
def test_production_settings_pass_the_deployment_checks(tmp_path):
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_changes={"SECRET_KEY": get_random_secret_key() * 2, "ALLOWED_HOSTS": "crm.example.com"},
        tmp_path=tmp_path,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


@pytest.mark.slow
def test_the_deployment_checks_catch_an_insecure_production_setup(tmp_path):
    """The check above can fail: plain HTTP in production is reported."""
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_changes={
            "SECRET_KEY": get_random_secret_key() * 2,
            "ALLOWED_HOSTS": "crm.example.com",
            "CRM_INSECURE_HTTP": "1",
        },
        tmp_path=tmp_path,
    )

    assert result.returncode != 0
    assert "SESSION_COOKIE_SECURE" in result.stdout + result.stderr


def test_manage_py_works_without_django_settings_module(tmp_path):
    result = run_manage("diffsettings", "--all", env_changes={}, tmp_path=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "ROOT_URLCONF = 'crm.urls'" in result.stdout


def test_a_short_secret_key_is_refused(tmp_path):
    result = run_manage("check", env_changes={"SECRET_KEY": "too-short"}, tmp_path=tmp_path)

    assert result.returncode != 0
    assert "SECRET_KEY must be at least 50 characters" in result.stderr


@pytest.mark.slow
def test_collectstatic_builds_the_production_static_files(tmp_path):
    """The Dockerfile's and the README's production step: the manifest storage finds every file a vendored file
    refers to (a source map named in a comment included), and writes the manifest."""
    static_root = tmp_path / "static"
    result = run_manage(
        "collectstatic",
        "--noinput",
        env_changes={
            "SECRET_KEY": get_random_secret_key() * 2,
            "ALLOWED_HOSTS": "crm.example.com",
            "STATIC_ROOT": str(static_root),
        },
        tmp_path=tmp_path,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    manifest = json.loads((static_root / "staticfiles.json").read_text())
    assert "vendor/chartjs/chart.umd.min.js" in manifest["paths"]
    hashed = static_root / manifest["paths"]["vendor/htmx/htmx.min.js"]
    assert hashed.exists() and hashed.with_name(hashed.name + ".gz").exists()
