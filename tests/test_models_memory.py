"""Models share their set of given field names (memory at province scale) without ever leaking an edit."""

from __future__ import annotations

import pickle

from projledger.ledger.models import Report


def test_models_given_the_same_fields_share_one_set_and_copies_do_not_leak() -> None:
    a = Report.model_validate({"month": "2026-01", "completed": 1})
    b = Report.model_validate({"month": "2026-02", "completed": 2})
    assert a.__pydantic_fields_set__ is b.__pydantic_fields_set__
    c = a.model_copy(update={"image": "主体施工"})
    assert a.model_fields_set == b.model_fields_set == {"month", "completed"}
    assert c.model_fields_set == {"month", "completed", "image"}
    assert a.model_dump(exclude_unset=True) == {"month": "2026-01", "completed": 1}


def test_unpickled_models_share_too() -> None:
    a = Report.model_validate({"month": "2026-01", "completed": 1})
    b = pickle.loads(pickle.dumps(a))
    assert b == a and b.__pydantic_fields_set__ is a.__pydantic_fields_set__
