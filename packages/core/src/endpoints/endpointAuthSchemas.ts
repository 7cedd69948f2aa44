import { z } from 'zod';

// The credentials the worker presents to an endpoint besides the signature: Svix's OAuth 2.0
// client (EndpointOauthConfigIn/Out, its names and shapes), and Hookline's HTTP basic auth.

/** Body parameters of the token request that Hookline itself sets: extraParams may not override them. */
export const RESERVED_TOKEN_PARAMS: ReadonlySet<string> = new Set([
  'grant_type',
  'client_id',
  'client_secret',
  'scope',
  'refresh_token',
  'client_assertion',
  'client_assertion_type',
]);

const tokenParamSchema = z.string().min(1).max(4096);

export const oauth2AuthMethodSchema = z
  .enum(['clientSecretBasic', 'clientSecretPost', 'clientSecretJwt'])
  .describe('How the client authenticates to the token endpoint; Hookline supports clientSecretBasic and clientSecretPost (clientSecretJwt is a 422)');
export const oauth2GrantTypeSchema = z
  .enum(['clientCredentials', 'refreshToken'])
  .describe('The OAuth grant; Hookline supports clientCredentials (refreshToken is a 422)');

export const endpointOauthConfigInSchema = z
  .object({
    authMethod: oauth2AuthMethodSchema,
    grantType: oauth2GrantTypeSchema,
    clientId: z.string().min(1).max(1024),
    clientSecret: z.string().min(1).max(4096).nullish().describe('Stored encrypted, never returned. Left out: the stored one is kept, unless tokenUrl changes'),
    tokenUrl: z.string().min(1).max(4096).url(),
    scopes: z
      .array(
        z
          .string()
          .regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'a scope is printable ASCII without spaces, quotes or backslashes')
          .max(256),
      )
      .max(50)
      .nullish(),
    extraParams: z
      .record(z.string().min(1).max(128), tokenParamSchema)
      .refine((params) => Object.keys(params).length <= 20, 'at most 20 extra parameters')
      .refine(
        (params) => Object.keys(params).every((name) => !RESERVED_TOKEN_PARAMS.has(name)),
        'grant_type, client_id, client_secret, scope and the assertion parameters are set by Hookline',
      )
      .nullish()
      .describe('Added to the token request body, e.g. {"audience": "https://api.example.com"}; shown when read, so no secrets here'),
    jwtParams: z.record(z.string(), z.unknown()).nullish().describe('For clientSecretJwt, which Hookline does not support'),
    refreshToken: z.string().max(8192).nullish().describe('For the refreshToken grant, which Hookline does not support'),
  })
  .meta({ id: 'EndpointOauthConfigIn' });
export type EndpointOauthConfigIn = z.output<typeof endpointOauthConfigInSchema>;

export const endpointOauthConfigOutSchema = z
  .object({
    authMethod: oauth2AuthMethodSchema,
    grantType: oauth2GrantTypeSchema,
    clientId: z.string(),
    tokenUrl: z.string(),
    scopes: z.array(z.string()).nullable(),
    extraParams: z.record(z.string(), z.string()).nullable(),
  })
  .meta({ id: 'EndpointOauthConfigOut' });
export type EndpointOauthConfigOut = z.output<typeof endpointOauthConfigOutSchema>;

export const endpointBasicAuthInSchema = z
  .object({
    username: z
      .string()
      .max(256)
      .regex(/^[^:\r\n]*$/, 'a basic-auth username may not contain ":" or line breaks'),
    password: z
      .string()
      .min(1)
      .max(1024)
      .regex(/^[^\r\n]*$/, 'a basic-auth password may not contain line breaks')
      .describe('Stored encrypted, never returned'),
  })
  .meta({ id: 'EndpointBasicAuthIn' });
export type EndpointBasicAuthIn = z.output<typeof endpointBasicAuthInSchema>;

export const endpointBasicAuthOutSchema = z.object({ username: z.string() }).meta({ id: 'EndpointBasicAuthOut' });
export type EndpointBasicAuthOut = z.output<typeof endpointBasicAuthOutSchema>;
