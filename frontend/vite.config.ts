import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// Everything is bundled: no CDN, web font or analytics, so the dApp works offline against the local chain.
export default defineConfig({
  plugins: [react()],
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
  build: { target: "es2022", sourcemap: false },
  test: {
    environment: "happy-dom",
    include: ["test/**/*.test.{ts,tsx}"],
  },
});
