// The shop's Telegram bot: order status on /status. It long-polls Telegram, so only one
// instance may run — scaling.yaml keeps it at `replicas: 1`, and `scalectl check` explains why.
import { Bot, session } from 'grammy';
import { RedisAdapter } from '@grammyjs/storage-redis';
import { Redis } from 'ioredis';

const bot = new Bot(process.env.BOT_TOKEN ?? '');
// Sessions live in Redis, so they would survive a restart and be shared by replicas.
bot.use(session({ initial: () => ({ orders: 0 }), storage: new RedisAdapter({ instance: new Redis(process.env.REDIS_URL ?? '') }) }));

bot.command('status', async (ctx) => {
  await ctx.reply('Your order is on its way.');
});

process.once('SIGTERM', () => bot.stop());
bot.start();
