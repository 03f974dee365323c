#!/usr/bin/env python3
"""Puts a benchmark's Markdown report into docs/benchmarks.md between <!-- NAME:start --> and <!-- NAME:end -->.

Usage: bench/write-section.py NAME DOC REPORT
"""
import re
import sys

name, doc_path, report_path = sys.argv[1:4]
doc, report = open(doc_path).read(), open(report_path).read().strip()
start, end = "<!-- %s:start -->" % name, "<!-- %s:end -->" % name
if start not in doc:
    sys.exit("%s has no %s marker" % (doc_path, start))
doc = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda m: start + "\n" + report + "\n" + end, doc, flags=re.S)
open(doc_path, "w").write(doc)
print("figures written to %s" % doc_path)
