// PutImageScanningConfiguration: scan-on-push is stored and reported; Moor runs no scanner, so
// no scan findings ever appear (docs/compat says so).

import { requireRepository, type EcrContext } from "./_context.js";

export interface PutImageScanningConfigurationInput {
  registryId?: string;
  repositoryName: string;
  imageScanningConfiguration: { scanOnPush?: boolean };
}

export function putImageScanningConfiguration(context: EcrContext, input: PutImageScanningConfigurationInput) {
  const repository = requireRepository(context, input.repositoryName, input.registryId);
  const scanOnPush = input.imageScanningConfiguration.scanOnPush ?? false;
  context.store.update({ ...repository, spec: { ...repository.spec!, scanOnPush } }, { expectedRevision: repository.metadata.resourceVersion });
  return { registryId: context.accountId, repositoryName: input.repositoryName, imageScanningConfiguration: { scanOnPush } };
}
