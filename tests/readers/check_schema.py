"""The scenario JSON Schema (`negsim schema`) against the shipped scenarios.

Usage: check_schema.py SCHEMA.json SCENARIO.toml...

Every scenario must validate (TOML dates are given to the validator as ISO
text, as taplo gives them); the same scenario with a misspelt key in
[simulation] and one at the top level must not.
"""

import copy
import datetime
import json
import sys
import tomllib

import jsonschema


def as_json(x):
    if isinstance(x, dict):
        return {k: as_json(v) for k, v in x.items()}
    if isinstance(x, list):
        return [as_json(v) for v in x]
    if isinstance(x, (datetime.date, datetime.datetime, datetime.time)):
        return x.isoformat()
    return x


schema = json.load(open(sys.argv[1]))
validator = jsonschema.Draft202012Validator(schema)
passed = failed = 0
for path in sys.argv[2:]:
    doc = as_json(tomllib.load(open(path, "rb")))
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)]
    if errors:
        failed += 1
        print("FAIL", path, "does not validate:", *errors[:5], sep="\n  ")
    else:
        passed += 1
    for where in ("simulation", None):
        bad = copy.deepcopy(doc)
        (bad[where] if where else bad)["zzz_misspelt"] = 1
        if validator.is_valid(bad):
            failed += 1
            print("FAIL", path, f"with a misspelt key in {where or 'the top level'} validates")
        else:
            passed += 1
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
