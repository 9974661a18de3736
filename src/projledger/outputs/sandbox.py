"""The one way to make a Jinja2 environment for a template a ledger may supply: Jinja2's immutable sandbox.

A ledger is a shared git repository, so its `templates/` are written by whoever can commit. In the sandbox
a template cannot reach Python internals (`cycler.__init__.__globals__` is refused with a SecurityError)
nor change the lists and dicts it is given. The context handed to such a template must still hold only
plain values and figures: never a path, a ledger or anything with a method that reads or writes files.
Names a template does not know are errors (StrictUndefined), so a typo is reported, not printed as "".
"""

from __future__ import annotations

from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment


def environment(**options: Any) -> ImmutableSandboxedEnvironment:
    """A sandboxed environment; `options` are Environment keyword arguments (autoescape, trim_blocks …)."""
    options.setdefault("undefined", jinja2.StrictUndefined)
    return ImmutableSandboxedEnvironment(**options)


def refusal(exc: jinja2.TemplateError) -> str:
    """A template error as a Chinese sentence: what the template asked for that cannot be done."""
    if isinstance(exc, SecurityError):
        return f"模板试图访问不允许的内容（出于安全原因已拒绝）：{exc}"
    if isinstance(exc, jinja2.UndefinedError):
        return f"模板中有未知的名称：{exc.message}"
    return str(exc.message or exc)
