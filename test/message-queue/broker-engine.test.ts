import { Duration } from 'aws-cdk-lib';
import { Broker, CLI_VM_ARGS, RABBITMQ_BIN } from './broker-harness';
import { QueueUser } from '../../src/message-queue/rabbitmq-config';
import { resolveMessageQueueSpec } from '../../src/message-queue/spec';
import { requireTool } from '../conformance/tools';

/**
 * The generated rabbitmq.conf, enabled_plugins, definitions and start script, run by the real broker
 * (Debian's RabbitMQ 3.10; the image is pinned to 3.13, which reads the same keys). The management
 * API drives it as each application user; the users get the `management` tag here only, to log in
 * to that API: their permissions are exactly the generated ones.
 */
const available = requireTool(`test -x ${RABBITMQ_BIN}/rabbitmq-server && which epmd openssl`, 'apt-get install rabbitmq-server openssl');
const run = available ? describe : describe.skip;

const spec = resolveMessageQueueSpec('orders', { maxReceiveCount: 3, priorityLevels: 2, visibilityTimeout: Duration.minutes(2) });
const users: QueueUser[] = [
  { name: 'orders-api', publish: true, consume: false },
  { name: 'fulfilment', publish: false, consume: true },
];
const passwords: Record<string, string> = { 'orders-api': 'p&ub$li/sher=1', 'fulfilment': 'c0nsumer+pw' };
const vhost = '%2F';
const rows = (out: string) => out.trim().split('\n').map(line => line.split('\t'));
async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

run('generated RabbitMQ configuration on the real broker', () => {
  const broker = new Broker();
  const as = (user: string) => (method: string, apiPath: string, body?: unknown) => broker.api(user, passwords[user], method, apiPath, body);
  const publisher = as('orders-api');
  const worker = as('fulfilment');
  const publish = (routingKey: string, payload: string) => publisher('POST', `/api/exchanges/${vhost}/orders/publish`, {
    properties: { delivery_mode: 2 }, routing_key: routingKey, payload, payload_encoding: 'string',
  });
  const get = (queue: string, ackmode: string) => worker('POST', `/api/queues/${vhost}/${queue}/get`, { count: 1, ackmode, encoding: 'auto' });

  // Bounds on a broker that never comes up (start, then CLI calls retried while unreachable), not speed requirements.
  beforeAll(async () => {
    await broker.start(spec, users, passwords);
    for (const user of users) await broker.ctl('set_user_tags', user.name, 'management');
  }, 420_000);
  afterAll(() => broker.stop(), 30_000);

  test('declares quorum work queues with a delivery limit, the dead-letter queue, and no default guest user', async () => {
    const queues = rows(await broker.ctl('list_queues', '-q', '--no-table-headers', 'name', 'type', 'arguments'));
    expect(queues.map(([name, type]) => `${name} ${type}`).sort()).toEqual(['orders-dlq quorum', 'orders-p0 quorum', 'orders-p1 quorum']);
    const p0 = queues.find(([name]) => name === 'orders-p0')![2];
    expect(p0).toContain('{"x-delivery-limit",2}');
    expect(p0).toContain('{"x-dead-letter-strategy","at-least-once"}');
    const userNames = rows(await broker.ctl('list_users', '-q')).slice(1).map(([name]) => name);
    expect(userNames.sort()).toEqual(['fulfilment', 'orders-api']);
  });

  test('a message published by the publisher reaches the worker\'s queue; priorities route to their own queues', async () => {
    expect((await publish('orders-p0', 'routine')).body).toEqual({ routed: true });
    expect((await publish('orders-p1', 'urgent')).body).toEqual({ routed: true });
    // The worker drains the highest level first.
    const urgent = await get('orders-p1', 'ack_requeue_false');
    expect(urgent.body.map((m: any) => m.payload)).toEqual(['urgent']);
    expect((await get('orders-p1', 'ack_requeue_false')).body).toEqual([]);
    expect((await get('orders-p0', 'ack_requeue_false')).body.map((m: any) => m.payload)).toEqual(['routine']);
  });

  test('a message rejected maxReceiveCount times moves to the dead-letter queue', async () => {
    await publish('orders-p0', 'poison');
    const deliveries: string[] = [];
    for (let i = 0; i < spec.maxReceiveCount + 1; i++) {
      const reply = await get('orders-p0', 'reject_requeue_true');
      deliveries.push(...reply.body.map((m: any) => m.payload));
    }
    expect(deliveries).toEqual(['poison', 'poison', 'poison']);
    // At-least-once dead-lettering hands the message over asynchronously.
    await until('the message in orders-dlq', async () => rows(await broker.ctl('list_queues', '-q', '--no-table-headers', 'name', 'messages'))
      .some(([name, messages]) => name === 'orders-dlq' && messages === '1'));
  });

  test('users reach only what they were granted', async () => {
    expect((await publisher('POST', `/api/queues/${vhost}/orders-p0/get`, { count: 1, ackmode: 'ack_requeue_false', encoding: 'auto' })).status).toBe(401);
    const refused = await worker('POST', `/api/exchanges/${vhost}/orders/publish`, {
      properties: {}, routing_key: 'orders-p0', payload: 'x', payload_encoding: 'string',
    });
    expect(refused.body.reason).toMatch(/ACCESS_REFUSED - access to exchange 'orders' .* refused for user 'fulfilment'/);
    // Not even the worker may read the dead-letter queue: redrive is an operator's decision.
    expect((await get('orders-dlq', 'ack_requeue_false')).status).toBe(401);
  });

  test('the node speaks Erlang distribution over TLS only: a CLI tool without the certificate is refused', async () => {
    expect(await broker.ctl('eval', 'init:get_argument(proto_dist).')).toContain('{ok,[["inet_tls"]]}');
    // Without the TLS arguments (the VM tuning only, so that the refusal comes as fast as on an idle machine).
    expect(() => broker.ctlWith({ RABBITMQ_CTL_ERL_ARGS: CLI_VM_ARGS }, 'status')).toThrow(/TCP connection succeeded but Erlang distribution failed/);
  });

  test('rabbitmq_prometheus serves per-queue depth and consumer series', async () => {
    // Statistics are collected every 5 seconds.
    let text = '';
    await until('per-queue metrics', async () => /queue="orders-dlq"/.test(text = await broker.metrics()));
    expect(text).toMatch(/^rabbitmq_queue_messages_ready\{[^}]*queue="orders-dlq"[^}]*\} 1$/m);
    expect(text).toMatch(/^rabbitmq_queue_consumers\{[^}]*queue="orders-p0"/m);
  });
});
