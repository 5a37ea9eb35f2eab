"""The errors every command raises, already phrased in Dutch for staff.

`cli.main` is the one place that prints them and turns them into exit codes (SPEC section 2):
a failure of the job exits 1, a usage error (bad option, no register) exits 2.
"""

from __future__ import annotations


class KlachtenError(Exception):
    """A problem the user can act on; the message is Dutch and complete."""

    exit_code = 1


class JobFailed(KlachtenError):
    """The command could not do its job (a file that cannot be written, a broken template)."""

    exit_code = 1


class UsageError(KlachtenError):
    """The command was asked for something it cannot do as asked (an option, the register)."""

    exit_code = 2
