"""Loads a `ptuplan emit litellm` config into LiteLLM's own Router and prints what the router
holds as JSON: its groups with each deployment's model, endpoint reference, tpm, rpm and
service tier, and its fallbacks. The CLI tests compare that with the plan.

    python check_router.py CONFIG.yaml

Runs offline: the environment references are set to placeholders, and LiteLLM reads its
bundled model-cost map instead of fetching one.
"""
import json
import os
import re
import sys

os.environ["LITELLM_LOCAL_MODEL_COST_MAP"] = "True"

import yaml  # noqa: E402
from litellm import Router  # noqa: E402

text = open(sys.argv[1], encoding="utf-8").read()
config = yaml.safe_load(text)
for name in set(re.findall(r"os\.environ/([A-Z0-9_]+)", text)):
    os.environ[name] = "https://example.invalid" if "BASE" in name else "placeholder"
settings = config.get("router_settings") or {}
router = Router(model_list=config["model_list"], **settings)

groups = {}
for deployment in router.model_list:
    params = deployment["litellm_params"]
    groups.setdefault(deployment["model_name"], []).append(
        {
            "model": params["model"],
            "tpm": params.get("tpm"),
            "rpm": params.get("rpm"),
            "service_tier": params.get("service_tier"),
        }
    )
fallbacks = {}
for rule in router.fallbacks or []:
    fallbacks.update(rule)
unknown = [g for after in fallbacks.values() for g in after if g not in groups]
unknown += [g for g in fallbacks if g not in groups]
if unknown:
    sys.exit(f"fallbacks name groups the router does not have: {unknown}")
print(json.dumps({"groups": groups, "fallbacks": fallbacks}, sort_keys=True))
