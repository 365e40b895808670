/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WASM and data files that must stay outside the server bundle.
  serverExternalPackages: ['@electric-sql/pglite', 'pg'],
  poweredByHeader: false,
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
