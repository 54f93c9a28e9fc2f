// REFERENCE, NOT A PRODUCT (issue 17): the webhook receiver a Node developer would hand-roll with Express 5
// and BullMQ, for the benchmark's "N x BullMQ" figures. It validates with the same contract as Day15
// (validateEvent: ajv, compiled once) and dedupes by job id, but logs nothing per event (Day15 writes a log
// line per event), so the comparison errs in the reference's favour.
// Usage: node --import tsx scripts/bench/peers/express-bullmq-receiver.ts <redis url> <port>
import { Queue } from 'bullmq';
import express from 'express';
import { validateEvent } from '../../../libs/events/index.js';
import { jobOptions, queueName, type BenchJobData } from './bullmq-reference.js';

const [redisUrl = 'redis://127.0.0.1:6379', port = '0'] = process.argv.slice(2);
const queue = new Queue<BenchJobData>(queueName, { connection: { url: redisUrl } });
await queue.waitUntilReady();

const app = express();
app.use(express.json());
app.post('/webhook/events', async (req, res) => {
  const verdict = validateEvent(req.body);
  if (!verdict.ok) {
    res.status(400).json({ status: 'rejected', errors: verdict.issues });
    return;
  }
  const event = { ...verdict.event, received_at: new Date().toISOString() };
  // A job id BullMQ already holds is not added again: that is the deduplication.
  await queue.add(event.event_type, event, { ...jobOptions, jobId: event.event_id });
  res.status(202).json({ status: 'accepted', event_id: event.event_id });
});

const server = app.listen(Number(port), '127.0.0.1', () => {
  const address = server.address();
  console.log(`Express + BullMQ receiver listening on ${typeof address === 'object' && address ? address.port : '?'}`);
});
