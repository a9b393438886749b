/**
 * How a sharded collection's documents are distributed across shards.
 *
 * DocumentDB Elastic Clusters (AWS) accept only a single hashed field; MongoDB (Kubernetes) accepts
 * hashed and ranged keys.
 */
export class MongoShardKey {
  /**
   * Hash one field: writes spread evenly over every shard; range queries on the field fan out.
   *
   * @param field the document field (dotted paths allowed)
   */
  public static hashed(field: string): MongoShardKey {
    return new MongoShardKey([field], true, false);
  }

  /**
   * Range over one or more fields (a compound key when several): range queries hit few shards,
   * but a monotonically increasing first field sends every insert to one shard.
   *
   * @param fields the document fields, most significant first
   * @param unique enforce uniqueness of the key (MongoDB creates a unique index)
   */
  public static ranged(fields: string[], unique: boolean = false): MongoShardKey {
    return new MongoShardKey([...fields], false, unique);
  }

  private constructor(
    /** The key's fields, most significant first. */
    public readonly fields: string[],
    /** Whether the (single) field is hashed. */
    public readonly isHashed: boolean,
    /** Whether the key is unique. */
    public readonly unique: boolean,
  ) {}

  /**
   * The key document handed to `sh.shardCollection`, e.g. `{ userId: 'hashed' }`.
   *
   * @internal
   */
  public _document(): Record<string, 1 | 'hashed'> {
    return Object.fromEntries(this.fields.map(field => [field, this.isHashed ? 'hashed' : 1]));
  }
}
