// Prints shell assignments for the PostgreSQL and Redis hosts and ports the project will use,
// from DATABASE_URL and REDIS_URL with the same defaults as packages/config.
const pg = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/jobcast');
const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const quote = (value) => `'${String(value).replaceAll("'", "'\\''")}'`;
console.log(
  [
    `PG_HOST=${quote(pg.hostname || '127.0.0.1')}`,
    `PG_PORT=${quote(pg.port || 5432)}`,
    `REDIS_HOST=${quote(redis.hostname || '127.0.0.1')}`,
    `REDIS_PORT=${quote(redis.port || 6379)}`,
  ].join('\n'),
);
