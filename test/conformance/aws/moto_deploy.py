"""Deploy CloudFormation templates into moto's in-process mock (one process, many templates).

Usage: python3 moto_deploy.py TEMPLATE [TEMPLATE ...]
Prints one JSON array to stdout, one entry per template, in argument order.
"""

import json
import logging
import os
import re
import sys
import time
import warnings

ACCOUNT = "123456789012"
REGION = "us-east-1"
# CreateStack rejects a TemplateBody above this size; larger templates must come from S3.
MAX_TEMPLATE_BODY_BYTES = 51200
TEMPLATE_BUCKET = "conformance-templates-123456789012"
# What `cdk bootstrap` (v21+) leaves in a bootstrapped account; CDK templates resolve it.
BOOTSTRAP_PARAMETER = ("/cdk-bootstrap/hnb659fds/version", "21")
WAIT_SECONDS = 60

# Fake credentials and the fixed account, set before moto/boto3 are imported.
os.environ.update(
    AWS_ACCESS_KEY_ID="testing",
    AWS_SECRET_ACCESS_KEY="testing",
    AWS_SESSION_TOKEN="testing",
    AWS_DEFAULT_REGION=REGION,
    MOTO_ACCOUNT_ID=ACCOUNT,
)

import boto3  # noqa: E402
from moto import mock_aws  # noqa: E402
from moto.cloudformation import parsing  # noqa: E402
from moto.cloudformation.models import cloudformation_backends  # noqa: E402
from moto_stand_ins import STAND_IN_TYPES  # noqa: E402  (registers the stand-ins)


class Collect(logging.Handler):
    """Keeps moto's warnings (unsupported types, unimplemented Fn::GetAtt) for the report."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message not in self.messages:
            self.messages.append(message)


# moto raises out of create_stack without saying which resource failed; remember it.
failed_resource: list[str] = []
_create_resource = parsing.parse_and_create_resource


def _tracking_create_resource(logical_id, resource_json, *args, **kwargs):
    try:
        return _create_resource(logical_id, resource_json, *args, **kwargs)
    except Exception:
        if not failed_resource:  # the innermost resource (Ref/GetAtt create dependencies first)
            failed_resource.append(f"{logical_id} ({resource_json.get('Type')})")
        raise


parsing.parse_and_create_resource = _tracking_create_resource


def unsupported_types(template: dict) -> list[str]:
    """The types moto's parser skips: it logs a warning, creates nothing and resolves Ref to None."""
    types = {r.get("Type", "") for r in template.get("Resources", {}).values()}
    return sorted(
        t for t in types
        if t not in parsing.get_model_map()
        and t not in parsing.NULL_MODELS
        and not t.startswith("Custom::")
    )


def emulated_types(template: dict) -> list[str]:
    """The types a stand-in answered for: moto checked their required properties only."""
    return sorted({r.get("Type", "") for r in template.get("Resources", {}).values()} & STAND_IN_TYPES)


def stack_name_for(path: str, index: int, used: set[str]) -> str:
    """A valid stack name from the file name: letters, digits and '-', starting with a letter."""
    name = re.sub(r"[^A-Za-z0-9-]", "-", os.path.basename(path).removesuffix(".json"))
    name = (name if name[:1].isalpha() else f"stack-{name}")[:120]
    if name in used:
        name = f"{name}-{index}"
    used.add(name)
    return name


def created_so_far(name: str, template: dict) -> int:
    """Resources moto created before create_stack raised (listing them via the API would create the rest)."""
    try:
        stack = cloudformation_backends[ACCOUNT][REGION].get_stack(name)
    except Exception:
        return 0
    created = stack.resource_map._parsed_resources
    return sum(1 for k in template.get("Resources", {}) if created.get(k) is not None)


def deploy(cfn, s3, path: str, index: int, log: Collect, used_names: set[str]) -> dict:
    with open(path, encoding="utf-8") as f:
        body = f.read()
    template = json.loads(body)
    log.messages.clear()
    failed_resource.clear()
    name = stack_name_for(path, index, used_names)
    source = {"TemplateBody": body}
    if len(body.encode("utf-8")) > MAX_TEMPLATE_BODY_BYTES:
        s3.put_object(Bucket=TEMPLATE_BUCKET, Key=f"{name}.json", Body=body.encode("utf-8"))
        source = {"TemplateURL": f"https://{TEMPLATE_BUCKET}.s3.amazonaws.com/{name}.json"}

    result = {
        "template": path,
        "stackName": name,
        "templateSource": next(iter(source)),
        "status": "CREATE_FAILED",
        "statusReason": None,
        "resourcesCreated": 0,
        "resourcesInTemplate": len(template.get("Resources", {})),
        "unsupportedTypes": unsupported_types(template),
        "emulatedTypes": emulated_types(template),
        "warnings": [],
    }
    try:
        # No Parameters: every parameter keeps its default, as `cdk deploy` would.
        cfn.create_stack(
            StackName=name,
            Capabilities=["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"],
            **source,
        )
    except Exception as error:  # moto raises from inside create_stack; it has no rollback
        where = f" (creating {failed_resource[0]})" if failed_resource else ""
        result["statusReason"] = f"create_stack raised {type(error).__name__}{where}: {error}"
        result["resourcesCreated"] = created_so_far(name, template)
        result["warnings"] = list(log.messages)
        return result

    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
        in_progress = stack["StackStatus"].endswith(("_IN_PROGRESS", "_PENDING"))
        if not in_progress or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    result["status"] = stack["StackStatus"]
    result["statusReason"] = stack.get("StackStatusReason") or (
        f"timed out after {WAIT_SECONDS}s" if in_progress else None
    )
    summaries = []
    for page in cfn.get_paginator("list_stack_resources").paginate(StackName=name):
        summaries += page["StackResourceSummaries"]
    # moto lists skipped (unsupported) resources too, with an empty logical id.
    result["resourcesCreated"] = sum(1 for s in summaries if s.get("LogicalResourceId"))
    result["warnings"] = list(log.messages)
    return result


ACM_ARN = re.compile(r"arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/[A-Za-z0-9-]+")


def accept_given_certificates(paths: list[str]) -> None:
    """Certificates a template names by literal ARN were issued outside the stack: the account has
    them, as it has the bootstrap parameter. moto's ACM is empty, so tell its ELBv2 they exist.
    Certificates the stack itself creates are not affected."""
    given = {arn for path in paths for arn in ACM_ARN.findall(open(path).read())}
    if not given:
        return
    from moto.elbv2 import models as elbv2_models

    real_register = elbv2_models.register_certificate
    real_exists = elbv2_models.ELBv2Backend._certificate_exists

    def register(account_id, region, arn_certificate, arn_user):
        if arn_certificate not in given:
            real_register(account_id, region, arn_certificate, arn_user)

    def exists(self, arn):
        return arn in given or real_exists(self, arn)

    elbv2_models.register_certificate = register
    elbv2_models.ELBv2Backend._certificate_exists = exists


def resolve_nested_stack_outputs() -> None:
    """CloudFormation resolves `Fn::GetAtt [NestedStack, Outputs.Name]` to the child's output;
    moto advertises the attribute but has no method for it. Supply exactly that."""
    from moto.cloudformation.exceptions import UnformattedGetAttTemplateException
    from moto.cloudformation.models import Stack

    def get_cfn_attribute(self, attribute_name: str):
        if attribute_name.startswith("Outputs."):
            output = self.output_map.get(attribute_name[len("Outputs."):])
            if output is not None:
                return output.value
        raise UnformattedGetAttTemplateException()

    Stack.get_cfn_attribute = get_cfn_attribute


def publish_assets(s3, assets: list[dict]) -> None:
    """Upload what `cdk deploy` publishes before creating stacks: nested stack templates above all."""
    buckets = set()
    for asset in assets:
        if asset["bucket"] not in buckets:
            s3.create_bucket(Bucket=asset["bucket"])
            buckets.add(asset["bucket"])
        with open(asset["file"], "rb") as f:
            s3.put_object(Bucket=asset["bucket"], Key=asset["key"], Body=f.read())


def main(paths: list[str]) -> None:
    accept_given_certificates(paths)
    resolve_nested_stack_outputs()
    log = Collect()
    moto_logger = logging.getLogger("moto")
    moto_logger.addHandler(log)
    moto_logger.propagate = False  # keep stderr quiet; the warnings are in the report
    warnings.simplefilter("ignore")  # moto repeats the unsupported types as Python warnings
    with mock_aws():
        ssm = boto3.client("ssm", region_name=REGION)
        ssm.put_parameter(Name=BOOTSTRAP_PARAMETER[0], Value=BOOTSTRAP_PARAMETER[1], Type="String")
        s3 = boto3.client("s3", region_name=REGION)
        s3.create_bucket(Bucket=TEMPLATE_BUCKET)
        publish_assets(s3, json.loads(os.environ.get("MOTO_PUBLISHED_ASSETS") or "[]"))
        cfn = boto3.client("cloudformation", region_name=REGION)
        used_names: set[str] = set()
        results = [deploy(cfn, s3, path, i, log, used_names) for i, path in enumerate(paths)]
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1:])
