/**
 * The tamper-evident audit log (DESIGN.md section 5, docs/audit-log.md): hash-chained entries
 * in canonical JSON, an RFC 9162 Merkle tree over them, and Ed25519-signed checkpoints.
 */
export { appendEntries, type AppendOptions, type Appended, type AppendState } from './append.js';
export { canonicalJson } from '../canonical-json.js';
export { parseCheckpoint, signedBytes } from './checkpoint.js';
export { computeEntryHash } from './entry.js';
export { auditFilesFromContents } from './files.js';
export { formatHash, sha256, ZERO_HASH } from './hash.js';
export { allowedSignersLine, keyFileText, keyPath, KEY_ID_PATTERN } from './keys.js';
export { consistencyProof, leafHash, MerkleAccumulator, merkleRoot, verifyConsistency } from './merkle.js';
export * from './model.js';
export { parseOpenSshPrivateKey, parsePublicKeyLine, publicKeyLine } from './openssh.js';
export { signerFromOpenSshKey, type OpenSshSigner } from './signer.js';
export { verifyAuditLog, type AuditVerification, type Consistency, type VerifyOptions } from './verify.js';
