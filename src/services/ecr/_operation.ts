// What an ECR operation sees of the request besides its input: the region it was signed for,
// which names the registry host in repository URIs and ARNs.

export interface OperationInput {
  region: string;
}
