export { type JobDefinition, type JobQueue, startJobQueue } from './job-queue.ts';
