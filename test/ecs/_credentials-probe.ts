// Run inside a task's network namespace by metadata.test.ts: the JavaScript SDK v3's own
// container credentials provider (fromHttp, as the default chain uses it on ECS) reads
// AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and fetches from 169.254.170.2; prints what it got.

import { fromHttp } from "@aws-sdk/credential-provider-http";

const credentials = await fromHttp({ timeout: 5_000, maxRetries: 1 })();
process.stdout.write(JSON.stringify({ ...credentials, expiration: credentials.expiration?.toISOString() }));
