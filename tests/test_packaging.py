"""The packaging promises of the README: environment.yml lists pyproject's dependencies,
.ci/run calls the README's test command, and the README opens with the two commands."""
import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _pyproject_dependencies() -> set[str]:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return set(data["project"]["dependencies"])


def _environment_pip_dependencies() -> set[str]:
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    pip_block = text.split("- pip:", 1)[1]
    deps = re.findall(r"^\s+- (\S+)\s*$", pip_block, re.M)
    return {d for d in deps if d not in ("-e", ".")} - {"-e"}


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    env = {d for d in _environment_pip_dependencies() if not d.startswith("-")}
    assert env == _pyproject_dependencies()


def _readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```(?:bash|sh)?\n(.+?)\n```", readme, re.S)[:2]


def test_readme_opens_with_report_and_test_commands():
    first, second = _readme_commands()
    assert first.strip() == "make report"
    assert second.strip() == "make test"


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [ln.strip() for ln in ci.splitlines() if ln.strip() and not ln.startswith("#")]
    assert _readme_commands()[1].strip() in commands
