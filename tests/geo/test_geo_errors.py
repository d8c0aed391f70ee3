from geo.errors import GeoInputError


def test_error_carries_code_messages_and_field():
    err = GeoInputError(
        "bbox_malformed", message_zh="格式错误", message_en="Bad bbox.", field="bbox"
    )
    assert isinstance(err, ValueError)
    assert (err.code, err.message_zh, err.message_en, err.field) == (
        "bbox_malformed",
        "格式错误",
        "Bad bbox.",
        "bbox",
    )


def test_str_is_the_english_message():
    err = GeoInputError("x", message_zh="中文", message_en="English")
    assert str(err) == "English"
    assert err.args == ("English",)
    assert err.field is None
