/** @type {import('next').NextConfig} */
const nextConfig = {
  // PGlite ships WASM and data files, argon2 a native binary: they must stay outside the server bundle.
  serverExternalPackages: ['@electric-sql/pglite', 'pg', 'undici', 'bcryptjs', '@node-rs/argon2'],
  // Tests build into their own folder so a running product's build is left alone.
  distDir: process.env.NEXT_DIST_DIR || '.next',
  poweredByHeader: false,
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
