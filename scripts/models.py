#!/usr/bin/env python3
"""Extracts the AWS service models Moor serves from botocore's data into dist/models/<service>.json.

botocore (the package aws-cli v1 runs on) ships AWS's published models as
data/<service>/<api-version>/service-2.json(.gz). Documentation text is dropped; everything the
wire needs (metadata, operations' http traits, shapes with their traits) is kept. Quick when the
extracted copies already come from the installed botocore version.
"""
import gzip
import json
import os
import sys

SERVICES = ["sts", "iam", "ec2", "eks", "ecs", "rds", "elbv2", "logs", "ecr", "efs"]
DROPPED = {"documentation", "documentationUrl", "examples", "deprecatedMessage"}


def strip(value):
    if isinstance(value, dict):
        return {key: strip(item) for key, item in value.items() if key not in DROPPED}
    if isinstance(value, list):
        return [strip(item) for item in value]
    return value


def load(directory):
    for name in ("service-2.json", "service-2.json.gz"):
        path = os.path.join(directory, name)
        if os.path.exists(path):
            opener = gzip.open if name.endswith(".gz") else open
            with opener(path, "rt", encoding="utf-8") as handle:
                return json.load(handle)
    raise SystemExit(f"moor models: no service-2.json in {directory}")


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "dist/models"
    try:
        import botocore
    except ImportError:
        raise SystemExit("moor models: Python's botocore is missing (it comes with the aws CLI v1: pip install awscli)")
    data = os.path.join(os.path.dirname(botocore.__file__), "data")
    stamp = os.path.join(out, ".botocore-version")
    wanted = f"{botocore.__version__} {' '.join(SERVICES)}"
    if os.path.exists(stamp) and open(stamp).read() == wanted:
        return
    os.makedirs(out, exist_ok=True)
    for service in SERVICES:
        versions = sorted(os.listdir(os.path.join(data, service)))
        model = strip(load(os.path.join(data, service, versions[-1])))
        with open(os.path.join(out, f"{service}.json"), "w", encoding="utf-8") as handle:
            json.dump(model, handle, separators=(",", ":"))
    with open(stamp, "w") as handle:
        handle.write(wanted)
    print(f"moor models: extracted {len(SERVICES)} service models from botocore {botocore.__version__}", file=sys.stderr)


if __name__ == "__main__":
    main()
