/**
 * A fake mongosh: runs a generated script in a `vm` context whose `db`, `rs`, `sh`, `Mongo`,
 * `print`, `sleep`, `require('fs')` and `process.env` act on an in-memory sharded cluster, and
 * records every call that changes it. No mongod is installable here; this checks the scripts'
 * logic (guards, order, arguments) against MongoDB's documented behaviour of each helper.
 */
import * as vm from 'vm';

/** Thrown like mongosh's MongoServerError. */
class ServerError extends Error {
  constructor(message: string, public readonly code: number, public readonly codeName: string) {
    super(message);
  }
}

interface ReplicaSetState {
  initiated: boolean;
  configsvr: boolean;
  members: string[];
  users: Map<string, { pwd: string; roles: unknown }>;
  /** User-defined roles (created on first use). */
  roles?: Map<string, { privileges: unknown; roles: unknown }>;
}

export type Connection = { kind: 'member'; host: string } | { kind: 'replicaSet'; name: string } | { kind: 'router' };

export class FakeCluster {
  /** Mutating calls, in order: `rs.initiate orders-db-shard-0`, `createUser metrics@orders-db-shard-0`… */
  public readonly mutations: string[] = [];
  public readonly output: string[] = [];
  public readonly replicaSets = new Map<string, ReplicaSetState>();
  public readonly shards: string[] = [];
  public readonly databases = new Set<string>();
  public readonly collections = new Map<string, unknown>();
  public readonly down = new Set<string>();
  public readonly files = new Map<string, string>();
  /** The backup records collection: whether it exists, its TTL index, how many records it holds. */
  public readonly backupRecords = { exists: false, ttlSeconds: undefined as number | undefined, records: 0 };
  /** removeShard calls so far, by shard; databases whose primary shard each shard is. */
  public readonly removeShardCalls = new Map<string, number>();
  public readonly primaryOn = new Map<string, string[]>();
  public balancerEnabled = true;
  public fsyncLocks = 0;
  /** DocumentDB Elastic: the config database is not readable. */
  public hideConfigDatabase = false;
  /** What the pod's keyfile volume holds (the members' key unless a test says otherwise). */
  public mountedKeyfile: string;

  constructor(public readonly keyfile: string, private readonly hostsOf: (name: string) => string[]) {
    this.mountedKeyfile = keyfile;
  }

  /** The replica set a host belongs to (known from the topology before it is initiated). */
  private replicaSetOfHost(host: string, names: string[]): string {
    const name = names.find(n => this.hostsOf(n).includes(host));
    if (!name) throw new Error(`fake: unknown host ${host}`);
    return name;
  }

  private stateOf(name: string): ReplicaSetState {
    let state = this.replicaSets.get(name);
    if (!state) {
      state = { initiated: false, configsvr: false, members: [], users: new Map() };
      this.replicaSets.set(name, state);
    }
    return state;
  }

  /** Runs `script` as `mongosh <connection> --file script`, with `env`. */
  public run(script: string, connection: Connection, env: Record<string, string>, replicaSetNames: string[]): void {
    const rsName = connection.kind === 'member' ? this.replicaSetOfHost(connection.host, replicaSetNames)
      : connection.kind === 'replicaSet' ? connection.name : undefined;
    if (connection.kind === 'member' && this.down.has(connection.host)) throw new Error(`fake: ${connection.host} is down`);
    const session = { user: undefined as string | undefined };
    const cluster = this;
    const configName = replicaSetNames.find(n => n.endsWith('-configsvr'))!;
    const requireAuth = (what: string) => {
      if (!session.user) throw new ServerError(`command ${what} requires authentication`, 13, 'Unauthorized');
    };
    const usersHere = (): Map<string, { pwd: string; roles: unknown }> => this.stateOf(rsName ?? configName).users;
    const where = rsName ?? 'cluster';
    const rolesHere = () => {
      const state = this.stateOf(rsName ?? configName);
      state.roles ??= new Map();
      return state.roles;
    };
    const record = (call: string) => this.mutations.push(call);

    const database = (name: string): any => ({
      getSiblingDB: (other: string) => database(other),
      auth: (user: string, pwd: string) => {
        const ok = user === '__system' ? name === 'local' && pwd === cluster.keyfile.replace(/\s+/g, '')
          : usersHere().get(user)?.pwd === pwd;
        if (!ok) throw new ServerError('Authentication failed.', 18, 'AuthenticationFailed');
        session.user = user;
        return { ok: 1 };
      },
      getUser: (user: string) => {
        requireAuth('usersInfo');
        return usersHere().has(user) ? { user, roles: usersHere().get(user)!.roles } : null;
      },
      createUser: (doc: { user: string; pwd: string; roles: unknown }) => {
        requireAuth('createUser');
        if (!doc.pwd) throw new ServerError('pwd is required', 2, 'BadValue');
        if (usersHere().has(doc.user)) throw new ServerError(`User "${doc.user}@admin" already exists`, 51003, 'Location51003');
        usersHere().set(doc.user, { pwd: doc.pwd, roles: doc.roles });
        record(`createUser ${doc.user}@${where}`);
      },
      grantRolesToUser: (user: string, roles: Array<{ role: string; db: string }>) => {
        requireAuth('grantRolesToUser');
        const existing = usersHere().get(user);
        if (!existing) throw new ServerError(`Could not find user "${user}@admin"`, 11, 'UserNotFound');
        const held = existing.roles as Array<{ role: string; db: string }>;
        const added = roles.filter(r => !held.some(h => h.role === r.role && h.db === r.db));
        if (added.length === 0) return;
        existing.roles = [...held, ...added];
        record(`grantRolesToUser ${user}@${where} ${added.map(r => `${r.role}@${r.db}`).join(',')}`);
      },
      updateUser: (user: string, update: { pwd?: string; roles?: unknown }) => {
        requireAuth('updateUser');
        const existing = usersHere().get(user);
        if (!existing) throw new ServerError(`Could not find user "${user}@admin"`, 11, 'UserNotFound');
        if (update.pwd !== undefined) existing.pwd = update.pwd;
        if (update.roles !== undefined) existing.roles = update.roles;
        record(`updateUser ${user}@${where}`);
      },
      dropUser: (user: string) => {
        requireAuth('dropUser');
        if (!usersHere().delete(user)) throw new ServerError(`Could not find user "${user}@admin"`, 11, 'UserNotFound');
        record(`dropUser ${user}@${where}`);
      },
      getRole: (role: string) => {
        requireAuth('rolesInfo');
        const found = rolesHere().get(role);
        return found ? { role, ...found } : null;
      },
      createRole: (doc: { role: string; privileges: unknown; roles: unknown }) => {
        requireAuth('createRole');
        if (rolesHere().has(doc.role)) throw new ServerError(`Role "${doc.role}@admin" already exists`, 51002, 'Location51002');
        rolesHere().set(doc.role, { privileges: doc.privileges, roles: doc.roles });
        record(`createRole ${doc.role}@${where}`);
      },
      updateRole: (role: string, update: { privileges: unknown; roles: unknown }) => {
        requireAuth('updateRole');
        const existing = rolesHere().get(role);
        if (!existing) throw new ServerError(`Could not find role "${role}@admin"`, 31, 'RoleNotFound');
        if (JSON.stringify(existing) === JSON.stringify(update)) return;
        rolesHere().set(role, update);
        record(`updateRole ${role}@${where}`);
      },
      getCollectionNames: () => {
        requireAuth('listCollections');
        return name === 'platform_backups' && cluster.backupRecords.exists ? ['succeeded'] : [];
      },
      runCommand: (command: { collMod?: string; index?: { name: string; expireAfterSeconds: number } }) => {
        requireAuth(Object.keys(command)[0]);
        if (name !== 'platform_backups' || command.collMod !== 'succeeded' || command.index?.name !== 'at_ttl') {
          throw new Error(`fake: unsupported runCommand ${JSON.stringify(command)}`);
        }
        cluster.backupRecords.ttlSeconds = command.index.expireAfterSeconds;
        record(`collMod platform_backups.succeeded at_ttl ${command.index.expireAfterSeconds}`);
        return { ok: 1 };
      },
      adminCommand: (command: Record<string, unknown>) => {
        requireAuth(Object.keys(command)[0]);
        if (command.listShards) return { ok: 1, shards: cluster.shards.map(id => ({ _id: id })) };
        if (typeof command.removeShard === 'string') {
          // Like MongoDB: started, then ongoing while chunks remain, then completed (and gone from listShards).
          const shard = command.removeShard;
          if (!cluster.shards.includes(shard)) throw new ServerError(`Shard ${shard} not found`, 70, 'ShardNotFound');
          const calls = (cluster.removeShardCalls.get(shard) ?? 0) + 1;
          cluster.removeShardCalls.set(shard, calls);
          if (calls === 1) { record(`removeShard ${shard} started`); return { ok: 1, state: 'started' }; }
          if (calls === 2) return { ok: 1, state: 'ongoing', remaining: { chunks: 3 }, dbsToMove: cluster.primaryOn.get(shard) ?? [] };
          cluster.shards.splice(cluster.shards.indexOf(shard), 1);
          record(`removeShard ${shard} completed`);
          return { ok: 1, state: 'completed' };
        }
        if (typeof command.movePrimary === 'string') {
          for (const dbs of cluster.primaryOn.values()) if (dbs.includes(command.movePrimary)) dbs.splice(dbs.indexOf(command.movePrimary), 1);
          record(`movePrimary ${command.movePrimary} ${command.to}`);
          return { ok: 1 };
        }
        throw new Error(`fake: unsupported adminCommand ${JSON.stringify(command)}`);
      },
      getCollection: (collection: string) => ({
        getIndexes: () => {
          requireAuth('listIndexes');
          const ttl = cluster.backupRecords.ttlSeconds;
          return [{ name: '_id_' }, ...ttl === undefined ? [] : [{ name: 'at_ttl', expireAfterSeconds: ttl }]];
        },
        createIndex: (_keys: unknown, options: { name: string; expireAfterSeconds: number }) => {
          requireAuth('createIndexes');
          if (`${name}.${collection}` !== 'platform_backups.succeeded') throw new Error(`fake: createIndex on ${name}.${collection}`);
          Object.assign(cluster.backupRecords, { exists: true, ttlSeconds: options.expireAfterSeconds });
          record(`createIndex platform_backups.succeeded ${options.name} ${options.expireAfterSeconds}`);
        },
        insertOne: (doc: Record<string, unknown>) => {
          requireAuth('insert');
          if (`${name}.${collection}` !== 'platform_backups.succeeded') throw new Error(`fake: insertOne on ${name}.${collection}`);
          cluster.backupRecords.exists = true;
          cluster.backupRecords.records++;
          record(`insertOne platform_backups.succeeded${doc.created ? ' (created)' : ''}`);
        },
        countDocuments: (filter: { _id: string }) => {
          requireAuth('find');
          if (name !== 'config' || connection.kind !== 'router') throw new Error('fake: config collections are read through mongos');
          if (cluster.hideConfigDatabase) throw new ServerError('not authorized on config', 13, 'Unauthorized');
          if (collection === 'databases') return cluster.databases.has(filter._id) ? 1 : 0;
          if (collection === 'collections') return cluster.collections.has(filter._id) ? 1 : 0;
          throw new Error(`fake: unknown config collection ${collection}`);
        },
      }),
      fsyncLock: () => { requireAuth('fsync'); cluster.fsyncLocks++; record('fsyncLock'); },
      fsyncUnlock: () => {
        requireAuth('fsyncUnlock');
        if (cluster.fsyncLocks === 0) throw new ServerError('fsyncUnlock called when not locked', 125, 'CommandFailed');
        cluster.fsyncLocks--;
        record('fsyncUnlock');
      },
    });

    const rs = {
      status: () => {
        requireAuth('replSetGetStatus');
        const state = this.stateOf(rsName!);
        if (!state.initiated) throw new ServerError('no replset config has been received', 94, 'NotYetInitialized');
        return { ok: 1, members: state.members.map((host, i) => ({ name: host, stateStr: i === 0 ? 'PRIMARY' : 'SECONDARY' })) };
      },
      initiate: (config: { _id: string; configsvr?: boolean; members: { _id: number; host: string }[] }) => {
        requireAuth('replSetInitiate');
        const state = this.stateOf(rsName!);
        if (state.initiated) throw new ServerError('already initialized', 23, 'AlreadyInitialized');
        if (config._id !== rsName) throw new Error(`fake: initiate ${config._id} on a member of ${rsName}`);
        for (const m of config.members) if (cluster.down.has(m.host)) throw new ServerError(`replSetInitiate quorum check failed: ${m.host}`, 74, 'NodeNotFound');
        Object.assign(state, { initiated: true, configsvr: config.configsvr === true, members: config.members.map(m => m.host) });
        record(`rs.initiate ${config._id}${config.configsvr ? ' (configsvr)' : ''} ${config.members.length} members`);
      },
      conf: () => {
        requireAuth('replSetGetConfig');
        return { _id: rsName, members: this.stateOf(rsName!).members.map((host, i) => ({ _id: i, host })) };
      },
      add: (member: { host: string }) => {
        requireAuth('replSetReconfig');
        this.stateOf(rsName!).members.push(member.host);
        record(`rs.add ${member.host}`);
      },
      remove: (host: string) => {
        requireAuth('replSetReconfig');
        const members = this.stateOf(rsName!).members;
        if (!members.includes(host)) throw new ServerError(`Could not find member to remove with host ${host}`, 2, 'BadValue');
        members.splice(members.indexOf(host), 1);
        record(`rs.remove ${host}`);
      },
    };

    const sh = {
      addShard: (spec: string) => {
        requireAuth('addShard');
        const [name, hosts] = spec.split('/');
        const state = this.stateOf(name);
        if (!state.initiated || state.configsvr) throw new Error(`fake: ${name} is not an initiated shard replica set`);
        if (hosts.split(',').some(h => !state.members.includes(h))) throw new Error(`fake: ${spec} names hosts outside ${name}`);
        cluster.shards.push(name);
        record(`sh.addShard ${name}`);
      },
      enableSharding: (name: string) => { requireAuth('enableSharding'); cluster.databases.add(name); record(`sh.enableSharding ${name}`); },
      shardCollection: (namespace: string, key: unknown, unique: boolean) => {
        requireAuth('shardCollection');
        if (cluster.shards.length === 0) throw new Error('fake: no shards');
        if (cluster.collections.has(namespace)) throw new ServerError('already sharded', 23, 'AlreadyInitialized');
        cluster.collections.set(namespace, { key, unique });
        cluster.databases.add(namespace.split('.')[0]);
        record(`sh.shardCollection ${namespace} ${JSON.stringify(key)}${unique ? ' unique' : ''}`);
      },
      getBalancerState: () => { requireAuth('balancerStatus'); return cluster.balancerEnabled; },
      stopBalancer: () => { requireAuth('balancerStop'); cluster.balancerEnabled = false; record('sh.stopBalancer'); },
      startBalancer: () => { requireAuth('balancerStart'); cluster.balancerEnabled = true; record('sh.startBalancer'); },
    };

    class Mongo {
      private readonly host: string;
      constructor(uri: string) {
        this.host = /^mongodb:\/\/([^/]+)\//.exec(uri)![1];
      }
      getDB() {
        return {
          runCommand: (command: Record<string, unknown>) => {
            if (cluster.down.has(this.host)) throw new Error(`connect ECONNREFUSED ${this.host}`);
            if (command.ping) return { ok: 1 };
            throw new Error('fake: only ping is allowed before authentication');
          },
        };
      }
      close() {}
    }

    const fs = {
      readFileSync: (path: string) => {
        if (path === env.MONGO_KEYFILE) return this.mountedKeyfile;
        if (this.files.has(path)) return this.files.get(path)!;
        throw new Error(`fake: ENOENT ${path}`);
      },
      writeFileSync: (path: string, data: string) => { this.files.set(path, data); },
      existsSync: (path: string) => this.files.has(path),
    };
    const context = vm.createContext({
      db: database('test'),
      rs,
      sh,
      Mongo,
      print: (...args: unknown[]) => this.output.push(args.join(' ')),
      sleep: () => undefined,
      require: (module: string) => {
        if (module !== 'fs') throw new Error(`fake: require(${module})`);
        return fs;
      },
      process: { env },
    });
    vm.runInContext(script, context, { filename: 'generated.js' });
  }
}
