"""Exceptions raised by langzoo. Every error a user can trigger is a LangzooError."""


class LangzooError(Exception):
    """Base class for all langzoo errors."""


class UnknownLanguageError(LangzooError, ValueError):
    """A language code that langzoo cannot interpret."""


class BaseModelNotAvailableError(LangzooError):
    """The requested base encoder is neither local nor cached, and the Hub cannot be reached."""


class ModuleFormatError(LangzooError):
    """A module folder or manifest is malformed (wrong kind, unknown version, unsafe file)."""


class MissingModuleError(LangzooError):
    """A module (or one of its files) that a pack or a request needs is not there."""


class IntegrityError(LangzooError):
    """A file's sha256 or size does not match what its manifest records."""


class BaseMismatchError(LangzooError):
    """A module was trained on another base encoder than the one it is being attached to."""


class PackNotFoundError(LangzooError, LookupError):
    """No language pack for this language (and base) in the registry."""


class InvalidInputError(LangzooError, TypeError, ValueError):
    """Texts or arguments given to langzoo that it cannot use (a dict instead of a list of
    strings, a language that is not a code, a file that is not UTF-8 text). It is both a
    TypeError and a ValueError so that code catching either keeps working."""


class LangzooWarning(UserWarning):
    """Something langzoo handled for you but that you probably want to know about (a text
    routed to the bare base because its pack is missing, a broken pack skipped)."""


class PackConflictError(LangzooError):
    """A pack folder already holds a pack of the same version with other content."""
