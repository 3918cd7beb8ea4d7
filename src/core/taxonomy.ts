/**
 * Finding categories and their mapping to the OWASP API Security Top 10 (2023).
 * Logging and monitoring has no slot of its own in the 2023 API list, so it also carries
 * OWASP Top 10 A09:2021, where it does.
 */

export const OWASP_API_2023 = {
  'API1:2023': 'Broken Object Level Authorization',
  'API2:2023': 'Broken Authentication',
  'API3:2023': 'Broken Object Property Level Authorization',
  'API4:2023': 'Unrestricted Resource Consumption',
  'API5:2023': 'Broken Function Level Authorization',
  'API6:2023': 'Unrestricted Access to Sensitive Business Flows',
  'API7:2023': 'Server Side Request Forgery',
  'API8:2023': 'Security Misconfiguration',
  'API9:2023': 'Improper Inventory Management',
  'API10:2023': 'Unsafe Consumption of APIs',
} as const;

export const OWASP_TOP10_2021 = {
  'A02:2021': 'Cryptographic Failures',
  'A04:2021': 'Insecure Design',
  'A05:2021': 'Security Misconfiguration',
  'A07:2021': 'Identification and Authentication Failures',
  'A09:2021': 'Security Logging and Monitoring Failures',
} as const;

export type OwaspId = keyof typeof OWASP_API_2023 | keyof typeof OWASP_TOP10_2021;

export function isOwaspId(value: string): value is OwaspId {
  return value in OWASP_API_2023 || value in OWASP_TOP10_2021;
}

export function owaspName(id: string): string {
  return (OWASP_API_2023 as Record<string, string>)[id] ?? (OWASP_TOP10_2021 as Record<string, string>)[id] ?? id;
}

export interface Category {
  id: CategoryId;
  name: string;
  owasp: readonly OwaspId[];
  description: string;
}

export const CATEGORIES = [
  { id: 'authentication', name: 'Authentication', owasp: ['API2:2023'], description: 'How credentials are accepted, checked, challenged and throttled.' },
  { id: 'logging', name: 'Logging & monitoring', owasp: ['A09:2021', 'API2:2023'], description: 'Whether auth events are recorded with the context that detection and forensics need.' },
  { id: 'data-exposure', name: 'Sensitive data exposure', owasp: ['API3:2023', 'A02:2021'], description: 'Secrets and internals that leak through responses, logs or memory.' },
  { id: 'resource-consumption', name: 'Resource consumption', owasp: ['API4:2023'], description: 'Unbounded growth of memory, requests or work per client.' },
  { id: 'access-control', name: 'Access control', owasp: ['API1:2023', 'API5:2023'], description: 'Operations and objects reachable without the right identity.' },
  { id: 'error-handling', name: 'Error handling', owasp: ['API8:2023'], description: 'Malformed input that crashes handlers or reveals stack traces.' },
  { id: 'transport', name: 'Transport security', owasp: ['API8:2023', 'A02:2021'], description: 'TLS, HSTS and cleartext credentials.' },
  { id: 'misconfiguration', name: 'Security misconfiguration', owasp: ['API8:2023'], description: 'Headers, debug modes and defaults that weaken an API.' },
  { id: 'inventory', name: 'Inventory', owasp: ['API9:2023'], description: 'Undocumented, shadow or deprecated endpoints.' },
  { id: 'threat-detection', name: 'Threat detection', owasp: ['A09:2021', 'API2:2023'], description: 'Attacks seen in authentication logs: brute force, spraying, stuffing, travel.' },
] as const satisfies readonly { id: string; name: string; owasp: readonly OwaspId[]; description: string }[];

export type CategoryId = (typeof CATEGORIES)[number]['id'];

export function getCategory(id: string): Category | undefined {
  return (CATEGORIES as readonly Category[]).find((c) => c.id === id);
}

export function isCategoryId(value: string): value is CategoryId {
  return getCategory(value) !== undefined;
}
