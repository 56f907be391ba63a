/**
 * @kubekit/pki — a cluster CA and the certificates it signs: serving
 * certificates for the apiserver and kubelets, client certificates whose CN
 * and O become the user and groups the apiserver authenticates, and a
 * directory that keeps them across restarts.
 */
export { CertificateDirectory } from "./cert-dir.js";
export type { CertificateRequest, CertKeyPair, CertUsage } from "./certificate.js";
export { createCertificateAuthority, issueCertificate } from "./certificate.js";
