import { defineRule } from "../../src/engine/rule.js";
import { connectionsByStack, hostProblem, portProblem } from "../../src/model/backing-services.js";
import { productionStacks } from "../../src/model/queries.js";

export default defineRule({
  id: "deploy/cache-host",
  django: null,
  severity: "error",
  summary: "A cache, Celery broker / result backend or channel layer host (or port) that the Django container cannot reach",
  why:
    "CACHES LOCATION (`redis://…`, `rediss://…`, memcached `host:port`, lists of them), CELERY_BROKER_URL / BROKER_URL / " +
    "CELERY_RESULT_BACKEND (`redis://`, `amqp://`) and CHANNEL_LAYERS hosts (`(\"redis\", 6379)`, URLs, `{\"address\": …}`) " +
    "name a server the Django container connects to. `localhost` / `127.0.0.1` there is the Django container itself, where no " +
    "Redis, Memcached or RabbitMQ runs — and channels_redis connects to localhost:6379 when CONFIG names no `hosts`. A " +
    "single-label name must be a service, network alias, `container_name`, `hostname` or `links` alias of the stack. Django's " +
    "cache backends fail (or, with django-redis's IGNORE_EXCEPTIONS, silently stop caching), Celery tasks are never queued " +
    "and websockets never receive group messages. This rule also covers the port: the host side of a `ports:` mapping " +
    "(`6380:6379` with port 6380) or a port the official image does not listen on (Redis 6379, Memcached 11211, RabbitMQ " +
    "5672) when nothing in the service's command or environment changes it; deploy/db-port does the same for DATABASES. " +
    "Unix sockets, fully qualified names, IP addresses, values not in the repository, placeholders, `network_mode`, external networks, " +
    "`external_links` and `extra_hosts` are left alone.",
  fix:
    "Use the compose service's name and its container port: `redis://redis:6379/1`, `amqp://guest:…@rabbitmq:5672//`, " +
    "`\"hosts\": [(\"redis\", 6379)]`.",
  examples: [
    {
      file: "app/settings/prod.py",
      bad: 'CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:6379/1"}}\n',
      good: 'CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://redis:6379/1"}}  # services: redis: image: redis:7\n',
    },
    {
      file: ".env",
      bad: "CELERY_BROKER_URL=redis://rdis:6379/0\n",
      good: "CELERY_BROKER_URL=redis://redis:6379/0\n",
    },
  ],
  check(model, report) {
    const seen = new Set<string>();
    for (const { stack, conn } of connectionsByStack(productionStacks(model))) {
      if (conn.kind === "database") continue;
      const problem = hostProblem(model, conn) ?? portProblem(model, conn);
      if (!problem) continue;
      const key = `${stack.id}:${problem.range.file}:${problem.range.line}:${problem.range.column}:${conn.label}:${conn.host?.text ?? ""}`;
      if (seen.has(key)) continue;
      seen.add(key);
      report({ ...problem, stack: stack.id });
    }
  },
});
