/** The scan engine's view of an API description, whatever its version. */

export type SchemeType = 'basic' | 'bearer' | 'http' | 'apiKey' | 'oauth2' | 'openIdConnect' | 'mutualTLS';

export interface SecurityScheme {
  /** The key under securitySchemes / securityDefinitions. */
  name: string;
  type: SchemeType;
  /** apiKey: where the key travels and under which name. */
  in?: 'header' | 'query' | 'cookie';
  paramName?: string;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  /** A safe value to send, from the spec's examples, enums, defaults or formats. */
  value: string;
}

export interface Operation {
  method: string;
  /** Base path + template, e.g. /api/v1/items/{id}. */
  pathTemplate: string;
  /** The template with path parameters and required query parameters filled in. */
  path: string;
  parameters: Parameter[];
  /**
   * Alternatives of scheme sets (OpenAPI semantics: any one alternative, all schemes in it).
   * Empty: no security requirement applies.
   */
  security: SecurityScheme[][];
  /** True when every alternative needs at least one scheme (no anonymous alternative). */
  requiresAuth: boolean;
  summary?: string;
  /** Where the operation came from: the spec, the target URL, or the bounded list of common paths. */
  source: 'spec' | 'target' | 'guess';
}

export interface ApiModel {
  format: 'swagger-2.0' | 'openapi-3.0' | 'openapi-3.1';
  title: string;
  operations: Operation[];
  schemes: SecurityScheme[];
}
