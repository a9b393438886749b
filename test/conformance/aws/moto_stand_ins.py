"""Stand-in models for CloudFormation types moto does not implement at all.

moto skips a type it lacks: Ref resolves to None (an IAM statement granting on it has no resource,
which moto then rejects) and Fn::GetAtt on it fails the whole stack. A stand-in checks the type's
required properties and answers Ref and the attributes CloudFormation documents, so moto can go on
to check every other resource and reference. Reports list these types as `emulatedTypes`: moto
proves nothing about them beyond their required properties.
"""

from moto.cloudformation import parsing
from moto.core.common_models import CloudFormationModel
from moto.moto_api._internal import mock_random


class Stub:
    """Shared behaviour; each stub also derives directly from CloudFormationModel, which is how
    moto discovers models (CloudFormationModel.__subclasses__())."""

    TYPE = ""
    REQUIRED: list[str] = []

    def __init__(self, name: str, properties: dict, account_id: str, region: str):
        missing = [p for p in self.REQUIRED if p not in properties]
        if missing:
            raise ValueError(f"{self.TYPE} {name} lacks {', '.join(missing)}")
        self.attributes = self.describe(name, properties, account_id, region)

    @classmethod
    def cloudformation_type(cls) -> str:
        return cls.TYPE

    @classmethod
    def has_cfn_attr(cls, attr: str) -> bool:
        return True

    def get_cfn_attribute(self, attribute_name: str):
        return self.attributes[attribute_name]

    @property
    def physical_resource_id(self) -> str:
        return self.attributes["Ref"]

    @classmethod
    def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        return cls(resource_name, cloudformation_json.get("Properties", {}), account_id, region_name)


class DocDBElasticClusterStub(Stub, CloudFormationModel):
    # moto files every model under the service named by the second segment of its module.
    __module__ = "moto_stub.docdbelastic"
    TYPE = "AWS::DocDBElastic::Cluster"
    REQUIRED = ["AdminUserName", "AuthType", "ClusterName", "ShardCapacity", "ShardCount"]

    @staticmethod
    def describe(name, properties, account_id, region):
        arn = f"arn:aws:docdb-elastic:{region}:{account_id}:cluster/{mock_random.uuid4()}"
        endpoint = f"{properties['ClusterName']}-{account_id}.{region}.docdb-elastic.amazonaws.com"
        return {"Ref": arn, "ClusterArn": arn, "ClusterEndpoint": endpoint}


class SecretStub(Stub, CloudFormationModel):
    __module__ = "moto_stub.secretsmanager"
    TYPE = "AWS::SecretsManager::Secret"

    @staticmethod
    def describe(name, properties, account_id, region):
        arn = f"arn:aws:secretsmanager:{region}:{account_id}:secret:{properties.get('Name', name)}-AbCdEf"
        return {"Ref": arn, "Id": arn}



class ApsWorkspaceStub(Stub, CloudFormationModel):
    __module__ = "moto_stub.aps"
    TYPE = "AWS::APS::Workspace"

    @staticmethod
    def describe(name, properties, account_id, region):
        workspace = f"ws-{mock_random.uuid4()}"
        arn = f"arn:aws:aps:{region}:{account_id}:workspace/{workspace}"
        return {
            "Ref": arn,
            "Arn": arn,
            "WorkspaceId": workspace,
            "PrometheusEndpoint": f"https://aps-workspaces.{region}.amazonaws.com/workspaces/{workspace}/",
        }


class ElastiCacheReplicationGroupStub(Stub, CloudFormationModel):
    __module__ = "moto_stub.elasticache"
    TYPE = "AWS::ElastiCache::ReplicationGroup"
    REQUIRED = ["ReplicationGroupDescription"]

    @staticmethod
    def describe(name, properties, account_id, region):
        group = properties.get("ReplicationGroupId", name.lower())
        port = str(properties.get("Port", 6379))
        host = f"{group}.abc123.{region}.cache.amazonaws.com"
        return {
            "Ref": group,
            "PrimaryEndPoint.Address": f"master.{host}", "PrimaryEndPoint.Port": port,
            "ReaderEndPoint.Address": f"replica.{host}", "ReaderEndPoint.Port": port,
            "ConfigurationEndPoint.Address": f"clustercfg.{host}", "ConfigurationEndPoint.Port": port,
        }


class ElastiCacheSubnetGroupStub(Stub, CloudFormationModel):
    __module__ = "moto_stub.elasticache"
    TYPE = "AWS::ElastiCache::SubnetGroup"
    REQUIRED = ["Description", "SubnetIds"]

    @staticmethod
    def describe(name, properties, account_id, region):
        return {"Ref": properties.get("CacheSubnetGroupName", name.lower())}


class ElastiCacheParameterGroupStub(Stub, CloudFormationModel):
    __module__ = "moto_stub.elasticache"
    TYPE = "AWS::ElastiCache::ParameterGroup"
    REQUIRED = ["CacheParameterGroupFamily", "Description"]

    @staticmethod
    def describe(name, properties, account_id, region):
        return {"Ref": name.lower()}


class ElastiCacheUserStub(Stub, CloudFormationModel):
    __module__ = "moto_stub.elasticache"
    TYPE = "AWS::ElastiCache::User"
    REQUIRED = ["Engine", "UserId", "UserName"]

    @staticmethod
    def describe(name, properties, account_id, region):
        user = properties["UserId"]
        return {"Ref": user, "Arn": f"arn:aws:elasticache:{region}:{account_id}:user:{user}", "Status": "active"}


class ElastiCacheUserGroupStub(Stub, CloudFormationModel):
    __module__ = "moto_stub.elasticache"
    TYPE = "AWS::ElastiCache::UserGroup"
    REQUIRED = ["Engine", "UserGroupId"]

    @staticmethod
    def describe(name, properties, account_id, region):
        group = properties["UserGroupId"]
        return {"Ref": group, "Arn": f"arn:aws:elasticache:{region}:{account_id}:usergroup:{group}", "Status": "active"}


class PrivateDnsNamespaceStub(Stub, CloudFormationModel):
    __module__ = "moto_stub.servicediscovery"
    TYPE = "AWS::ServiceDiscovery::PrivateDnsNamespace"
    REQUIRED = ["Name", "Vpc"]

    @staticmethod
    def describe(name, properties, account_id, region):
        namespace = f"ns-{mock_random.get_random_hex(16)}"
        return {
            "Ref": namespace,
            "Id": namespace,
            "Arn": f"arn:aws:servicediscovery:{region}:{account_id}:namespace/{namespace}",
            "HostedZoneId": f"Z{mock_random.get_random_hex(20).upper()}",
        }


STAND_IN_TYPES = {model.TYPE for model in (
    DocDBElasticClusterStub, SecretStub, ApsWorkspaceStub,
    ElastiCacheReplicationGroupStub, ElastiCacheSubnetGroupStub, ElastiCacheParameterGroupStub,
    ElastiCacheUserStub, ElastiCacheUserGroupStub, PrivateDnsNamespaceStub,
)}

# moto caches its model registry: forget it so the stand-ins are found.
for cached in (parsing.get_model_list, parsing.get_model_map, parsing.get_name_type_map):
    cached.cache_clear()
