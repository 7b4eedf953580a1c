// scaling.yaml `source` keys ↔ KEDA trigger metadata, per scaler (vocabulary from KEDA's scaler
// docs: rabbitmq, kafka, aws-sqs-queue, redis, redis-streams, metrics-api, prometheus). `connection: env:NAME` reads the
// address from the workload's environment where the scaler can (`hostFromEnv` …).
type Source = Record<string, unknown>;

interface Vocabulary {
  /** scaling.yaml key → KEDA metadata key (the first spelling is the one read back). */
  keys: Record<string, string>;
  /** Where `connection:` goes: [literal key, key for env:NAME (undefined: the scaler has none)]. */
  connection?: [string, string | undefined];
  /** Metadata scalectl sets unless the source says otherwise. */
  fixed?: Record<string, string>;
  /** KEDA's own metadata keys, accepted as they are. */
  native: string[];
}

const VOCABULARY: Record<string, Vocabulary> = {
  rabbitmq: {
    keys: { queue: 'queueName', vhost: 'vhostName' }, connection: ['host', 'hostFromEnv'], fixed: { mode: 'QueueLength' },
    native: ['host', 'hostFromEnv', 'queueName', 'vhostName', 'protocol', 'mode', 'excludeUnacknowledged', 'unsafeSsl'],
  },
  kafka: {
    keys: { group: 'consumerGroup', brokers: 'bootstrapServers' }, connection: ['bootstrapServers', undefined],
    native: ['bootstrapServers', 'consumerGroup', 'topic', 'offsetResetPolicy', 'allowIdleConsumers', 'scaleToZeroOnInvalidOffset', 'excludePersistentLag', 'partitionLimitation', 'version'],
  },
  'aws-sqs-queue': {
    keys: { queue: 'queueURL', region: 'awsRegion' }, connection: ['queueURL', 'queueURLFromEnv'],
    native: ['queueURL', 'queueURLFromEnv', 'awsRegion', 'awsEndpoint', 'identityOwner', 'scaleOnInFlight'],
  },
  redis: {
    keys: { list: 'listName', queue: 'listName', database: 'databaseIndex' }, connection: ['address', 'addressFromEnv'],
    native: ['address', 'addressFromEnv', 'host', 'hostFromEnv', 'port', 'portFromEnv', 'listName', 'databaseIndex', 'enableTLS', 'unsafeSsl', 'usernameFromEnv', 'passwordFromEnv'],
  },
  'redis-streams': {
    keys: { database: 'databaseIndex', group: 'consumerGroup' }, connection: ['address', 'addressFromEnv'],
    native: ['address', 'addressFromEnv', 'host', 'hostFromEnv', 'port', 'portFromEnv', 'stream', 'consumerGroup', 'databaseIndex', 'enableTLS', 'unsafeSsl', 'usernameFromEnv', 'passwordFromEnv'],
  },
  'metrics-api': {
    keys: {}, connection: ['url', undefined],
    native: ['url', 'valueLocation', 'format', 'method', 'unsafeSsl', 'authMode'],
  },
  prometheus: {
    keys: { server: 'serverAddress' }, connection: ['serverAddress', undefined],
    native: ['serverAddress', 'query', 'namespace', 'ignoreNullValues', 'unsafeSsl', 'queryParameters', 'customHeaders'],
  },
};

// The scalers whose source keys scalectl translates.
export const TRANSLATED_SCALERS = Object.keys(VOCABULARY);

// A source as KEDA trigger metadata (without the target / activation keys), or why it cannot be.
export function toKedaMetadata(source: Source): Record<string, string> | string {
  const kind = String(source.kind ?? '');
  const { kind: _kind, targetKey, ...rest } = source;
  const vocabulary = VOCABULARY[kind];
  if (!vocabulary) {
    // Unknown scaler: with targetKey the file speaks KEDA's own metadata keys, passed as they are.
    if (typeof targetKey !== 'string') return `source kind "${kind}" is not a KEDA scaler scalectl knows (${TRANSLATED_SCALERS.join(', ')}): write KEDA's own metadata keys and set source.targetKey`;
    return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, String(v)]));
  }
  const out: Record<string, string> = { ...vocabulary.fixed };
  for (const [key, value] of Object.entries(rest)) {
    const text = String(value);
    if (key === 'connection' && vocabulary.connection) {
      const [literal, fromEnv] = vocabulary.connection;
      if (text.startsWith('env:')) {
        if (!fromEnv) return `source.connection "${text}": the KEDA ${kind} scaler cannot read its address from the environment — write the address itself`;
        out[fromEnv] = text.slice(4);
      } else out[literal] = text;
      continue;
    }
    const mapped = vocabulary.keys[key] ?? (vocabulary.native.includes(key) ? key : undefined);
    if (!mapped) return `source.${key} has no KEDA ${kind} counterpart scalectl knows (it understands ${[...Object.keys(vocabulary.keys), ...(vocabulary.connection ? ['connection'] : []), ...vocabulary.native].join(', ')})`;
    out[mapped] = text;
  }
  return out;
}

// Why a source cannot become KEDA metadata, or undefined when it can.
export function untranslatable(source: Source): string | undefined {
  const result = toKedaMetadata(source);
  return typeof result === 'string' ? result : undefined;
}

// Trigger metadata (without target / activation keys) back in scaling.yaml's vocabulary.
export function fromKedaMetadata(kind: string, metadata: Record<string, string>): Source {
  const vocabulary = VOCABULARY[kind];
  if (!vocabulary) return { kind, ...metadata };
  const out: Source = { kind };
  const reverse = new Map<string, string>();
  for (const [key, mapped] of Object.entries(vocabulary.keys)) if (!reverse.has(mapped)) reverse.set(mapped, key);
  for (const [key, value] of Object.entries(metadata)) {
    if (vocabulary.fixed?.[key] === value) continue;
    if (vocabulary.connection && key === vocabulary.connection[1]) out.connection = `env:${value}`;
    else if (vocabulary.connection && key === vocabulary.connection[0] && !reverse.has(key)) out.connection = value;
    else out[reverse.get(key) ?? key] = value;
  }
  return out;
}
