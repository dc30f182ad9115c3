# -*- coding: utf-8 -*-
"""Filters for the lb playbooks: small parsing that is clearer in Python than in Jinja."""

import re


def lb_java_major(result):
    """The major version from a `java -version` command result; 0 when Java is missing or unreadable.

    `java -version` prints to stderr: 'openjdk version "17.0.15" ...' (or '"1.8.0_392"' for Java 8, major 1).
    """
    if not isinstance(result, dict) or result.get("rc", 1) != 0:
        return 0
    m = re.search(r'version "(\d+)', result.get("stderr") or "")
    return int(m.group(1)) if m else 0


class FilterModule(object):
    def filters(self):
        return {"lb_java_major": lb_java_major}
