"""The one error type that geo/ raises for bad input."""


class GeoInputError(ValueError):
    """Input a person can fix, with a machine code and a message in Chinese and English.

    >>> err = GeoInputError("bbox_malformed", message_zh="bbox 格式错误", message_en="bad bbox")
    >>> (err.code, str(err), err.field)
    ('bbox_malformed', 'bad bbox', None)
    """

    def __init__(
        self, code: str, *, message_zh: str, message_en: str, field: str | None = None
    ) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_zh = message_zh
        self.message_en = message_en
        self.field = field

    def __str__(self) -> str:
        return self.message_en

    def __repr__(self) -> str:
        return f"GeoInputError({self.code!r}, field={self.field!r}, {self.message_en!r})"
