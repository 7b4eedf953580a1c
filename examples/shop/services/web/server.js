// The storefront: carts live in Redis-backed sessions and uploads go to object storage, so any
// number of replicas can serve any request (`scalectl check services/web` finds nothing).
import express from 'express';
import session from 'express-session';
import { RedisStore } from 'connect-redis';
import { createClient } from 'redis';

const redis = createClient({ url: process.env.REDIS_URL });
await redis.connect();

const app = express();
app.use(session({ store: new RedisStore({ client: redis }), secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));

app.post('/cart/:item', (req, res) => {
  req.session.cart = [...(req.session.cart ?? []), req.params.item];
  res.json({ cart: req.session.cart });
});

const server = app.listen(process.env.PORT ?? 8080);
process.once('SIGTERM', () => server.close());
