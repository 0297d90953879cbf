"""Every message a service writes names fields as people do, never by their code names:
the pages show these messages (a field's problem beside the field, the message itself when
it names no field of the form), so "kontrollera ends_at" reached people."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SERVICES = sorted(
    path
    for app in ("accounts", "commissioning", "contracts", "dialogue", "notifications", "workers")
    for path in (ROOT / app).glob("services/**/*.py")
) + sorted((ROOT / "dialogue").glob("services/*.py"))
CODE_NAME = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")


def translated_strings(path: Path):
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"_", "gettext", "gettext_lazy", "ngettext"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value


def test_no_service_message_names_a_field_by_its_code_name():
    assert SERVICES, "the services were not found"
    leaks = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in set(SERVICES)
        for line, text in translated_strings(path)
        if CODE_NAME.search(re.sub(r"%\(\w+\)[sd]", "", text))
    ]
    assert not leaks, "\n".join(sorted(leaks))
