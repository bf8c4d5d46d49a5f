#!/usr/bin/python3
"""Prints a VSTest TRX file's own result counters as one line: total executed passed failed skipped.

Used by scripts/test.sh so its totals come from the runner's results, not from its console text.
failed adds error, timeout and aborted results (each is a test that did not pass); skipped is notExecuted
(the TRX logger files skipped tests there). Exit 1, with the reason on stderr, when the file is missing or
has no <Counters>: a project that wrote no results has not shown that it ran anything.
"""
import sys
import xml.etree.ElementTree as ET


def counters(path):
    root = ET.parse(path).getroot()
    # Namespaced in practice (http://microsoft.com/schemas/VisualStudio/TeamTest/2010); match the local name.
    for element in root.iter():
        if element.tag.rsplit('}', 1)[-1] == 'Counters':
            return element.attrib
    raise ValueError('no <Counters> element')


def main():
    if len(sys.argv) != 2:
        print('usage: trx-counters.py RESULTS.trx', file=sys.stderr)
        return 2
    try:
        c = counters(sys.argv[1])
    except (OSError, ET.ParseError, ValueError) as e:
        print(f'trx-counters.py: cannot read {sys.argv[1]}: {e}', file=sys.stderr)
        return 1

    def n(name):
        return int(c.get(name, '0') or 0)

    failed = n('failed') + n('error') + n('timeout') + n('aborted')
    print(n('total'), n('executed'), n('passed'), failed, n('notExecuted'))
    return 0


if __name__ == '__main__':
    sys.exit(main())
