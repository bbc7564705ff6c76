import { describe, expect, it } from 'vitest'
import { readAppConfig } from '../src/runtime/app-config.js'

// The identity variables as an operator writes them: a mistake stops the start with what to fix.
describe('PARLEY_SSO_* and PARLEY_OIDC_*', () => {
  it('reads the OpenID Connect client, with its defaults, and nothing without it', () => {
    expect(readAppConfig({}).oidc).toBeNull()
    expect(readAppConfig({ PARLEY_OIDC_ISSUER: 'https://login.news.example', PARLEY_OIDC_CLIENT_ID: 'parley' }).oidc).toEqual({
      issuer: 'https://login.news.example',
      clientId: 'parley',
      clientSecret: null,
      roleClaim: 'parley_role',
      adminValue: 'admin',
      moderatorValue: 'moderator',
      label: "Sign in with your organisation's account",
      requireVerifiedEmail: true,
    })
    expect(
      readAppConfig({
        PARLEY_OIDC_ISSUER: 'https://login.news.example/realms/desk',
        PARLEY_OIDC_CLIENT_ID: 'parley',
        PARLEY_OIDC_CLIENT_SECRET: 's3cret',
        PARLEY_OIDC_ROLE_CLAIM: 'groups',
        PARLEY_OIDC_ADMIN_VALUE: 'desk-chiefs',
        PARLEY_OIDC_MODERATOR_VALUE: 'desk',
        PARLEY_OIDC_LABEL: 'Newsroom login',
        PARLEY_OIDC_EMAIL_VERIFIED: 'assume',
      }).oidc,
    ).toMatchObject({
      requireVerifiedEmail: false,
      clientSecret: 's3cret',
      roleClaim: 'groups',
      adminValue: 'desk-chiefs',
      moderatorValue: 'desk',
      label: 'Newsroom login',
    })
  })

  it('stops on half a client or an issuer that is not a URL', () => {
    expect(() => readAppConfig({ PARLEY_OIDC_ISSUER: 'https://login.news.example' })).toThrow(
      'PARLEY_OIDC_ISSUER and PARLEY_OIDC_CLIENT_ID go together',
    )
    expect(() => readAppConfig({ PARLEY_OIDC_CLIENT_ID: 'parley' })).toThrow('go together')
    expect(() => readAppConfig({ PARLEY_OIDC_ISSUER: 'login.news.example', PARLEY_OIDC_CLIENT_ID: 'parley' })).toThrow('must be a URL')
    expect(() => readAppConfig({ PARLEY_OIDC_ISSUER: 'ftp://login.news.example', PARLEY_OIDC_CLIENT_ID: 'parley' })).toThrow('https URL')
    expect(() =>
      readAppConfig({
        PARLEY_OIDC_ISSUER: 'https://login.news.example',
        PARLEY_OIDC_CLIENT_ID: 'parley',
        PARLEY_OIDC_EMAIL_VERIFIED: 'yes',
      }),
    ).toThrow('PARLEY_OIDC_EMAIL_VERIFIED is `require` (the default) or `assume`')
  })

  it('stops on a short shared secret, and on a key set without the issuer and audience its tokens name', () => {
    expect(() => readAppConfig({ PARLEY_SSO_SECRET: 'short' })).toThrow('at least 32 bytes')
    expect(() => readAppConfig({ PARLEY_SSO_JWKS_URL: 'https://login.news.example/jwks.json' })).toThrow(
      'needs PARLEY_SSO_ISSUER and PARLEY_SSO_AUDIENCE',
    )
    expect(readAppConfig({ PARLEY_SSO_SECRET: 'x'.repeat(32) }).sso).toEqual({
      secret: 'x'.repeat(32),
      jwksUrl: null,
      issuer: null,
      audience: null,
    })
  })
})
