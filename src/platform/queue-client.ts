import { IPlatformClient } from './platform-client';

/**
 * A workload that can be granted access to a message queue. `ServiceCluster` and `QueueWorker`
 * still implement it, so code typed against it keeps compiling in every language.
 *
 * @deprecated use `IPlatformClient`: every data construct's `connect`, and the queue's grants, take it
 */
export interface IQueueClient extends IPlatformClient {}
