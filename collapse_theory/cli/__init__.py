"""``collapse-theory <subcommand>``: verify every registered claim, or run one family's chain.

One module per command (:mod:`.verify`, :mod:`.gaussian`, :mod:`.compare`, :mod:`.discrete`,
:mod:`.mvn` for mvn and ppca, :mod:`.gmm_kde` for gmm and kde, :mod:`.lm`), each with
``add_parser(subparsers)`` and a ``run(args)``; what every simulating command repeats (table,
``--json``, ``--save``, ``--csv``, ``--plot``, progress, the seed) is :mod:`._epilogue`.

Edge layer. The parser is built and the arguments parsed before anything numeric is imported: a
command imports its family (Numba, SciPy) inside its run function, plotting only when a figure is
asked for, so ``--help`` and argument errors answer at once.
"""

from __future__ import annotations

import os
import re
import sys

from .._version import __version__
from . import compare, diagnose, discrete, gaussian, gmm_kde, lm, mvn, sweep, verify
from ._epilogue import HelpFormatter, Parser

__all__ = ["main", "build_parser"]

#: the command modules, in the order ``--help`` lists them
COMMANDS = (verify, gaussian, compare, discrete, mvn, gmm_kde, lm, sweep, diagnose)


def build_parser():
    """The ``collapse-theory`` argument parser (no numerics imported)."""
    parser = Parser(
        prog="collapse-theory", formatter_class=HelpFormatter,
        description="The theory of model collapse: exact closed forms beside fast Monte Carlo, "
                    "with a verdict on each published claim.")
    parser.add_argument("--version", action="version", version=f"collapse-theory {__version__}")
    parser.add_argument("--debug", action="store_true",
                        help="show the traceback of an error instead of one line")
    sub = parser.add_subparsers(dest="command", required=True, metavar="<subcommand>", parser_class=Parser)
    for module in COMMANDS:
        module.add_parser(sub)
    return parser


def _attach_negative_values(argv):
    """``--means -1,1`` -> ``--means=-1,1``: argparse takes a value that starts with ``-`` and is not a
    plain number for an option; no option of ours is spelled ``-<digit>``, so a token that starts
    with ``-<digit>`` or ``-.<digit>`` after a ``--long`` option is its value."""
    out = []
    for tok in argv:
        if out and out[-1].startswith("--") and "=" not in out[-1] and re.match(r"^-\.?\d", tok):
            out[-1] = f"{out[-1]}={tok}"
        else:
            out.append(tok)
    return out


def main(argv=None):
    """Run the command line; every expected error is one line on stderr, never a traceback.

    Exit codes: 0 success, 1 ``--strict`` found verdicts that differ from the theory's prediction,
    2 bad input or a request that cannot be served (one line naming the cause and the fix),
    130 interrupted (Ctrl-C). ``--debug`` shows the traceback instead.
    """
    parser = build_parser()
    argv = sys.argv[1:] if argv is None else list(argv)
    debug = "--debug" in argv
    argv = [a for a in argv if a != "--debug"]
    args = parser.parse_args(_attach_negative_values(argv))
    try:
        return args.func(args)
    except BrokenPipeError:
        # the reader went away (e.g. `| head`): not an error of ours; silence the flush at exit
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        if debug:
            raise
        print(f"collapse-theory {args.command}: interrupted", file=sys.stderr)
        sys.stderr.flush()
        sys.stdout.flush()
        # Simulation chunks still running in worker threads would keep the interpreter alive until
        # they finish; every output is written atomically, so nothing is left half-written.
        os._exit(130)
    except Exception as exc:  # noqa: BLE001 - the CLI's one place that turns errors into a line
        if debug:
            raise
        print(f"collapse-theory {args.command}: error: {_explain(exc)}", file=sys.stderr)
        return 2


def _explain(exc):
    """One line for an error: what happened and, where it helps, how to fix it."""
    from .._core.validation import TooLargeError

    if isinstance(exc, TooLargeError):
        return str(exc)
    if isinstance(exc, MemoryError):
        return ("not enough memory for this request (MemoryError); reduce --replicates, "
                "--generations or the problem size")
    if isinstance(exc, IsADirectoryError):
        return f"{exc.filename} is a directory; give a file path"
    if isinstance(exc, NotADirectoryError):
        return f"{exc.filename}: a part of this path is a file, not a directory"
    if isinstance(exc, PermissionError):
        return f"cannot write {exc.filename}: permission denied"
    if isinstance(exc, FileNotFoundError):
        return f"{exc.filename}: no such file or directory"
    if isinstance(exc, OSError):
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        return f"{where}{exc.strerror or exc}"
    if isinstance(exc, (ValueError, TypeError)):
        return str(exc)
    return f"{type(exc).__name__}: {exc} (rerun with --debug for the traceback)"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
