// Hookrelay webhook receiver, "axle" format (X-Signature header) - Go standard library only.
// Run: WEBHOOK_SECRET=whsec_... PORT=3000 go run receiver.go
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log"
	"net/http"
	"os"
)

var secret string // WEBHOOK_SECRET, "whsec_..." (the whole string is the key)

// verify is true when the X-Signature header is the hex HMAC-SHA256(secret) of the raw body.
func verify(body []byte, signature string) bool {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	expected := hex.EncodeToString(mac.Sum(nil))
	return signature != "" && hmac.Equal([]byte(signature), []byte(expected))
}

func webhookHandler(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "Method not allowed", http.StatusMethodNotAllowed)
		return
	}
	// The raw bytes that were signed; never verify re-serialized JSON.
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 512<<10))
	if err != nil {
		http.Error(w, "Error reading request body", http.StatusBadRequest)
		return
	}
	if !verify(body, r.Header.Get("X-Signature")) {
		http.Error(w, `{"error":"invalid signature"}`, http.StatusUnauthorized)
		return
	}
	// Deliveries are at least once: skip a webhook-id header you have already processed.
	log.Println("received", r.Header.Get("webhook-id"))
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"ok":true}`))
}

func main() {
	if secret = os.Getenv("WEBHOOK_SECRET"); secret == "" {
		log.Fatal("Set WEBHOOK_SECRET to the signing secret (whsec_...)")
	}
	port := os.Getenv("PORT")
	if port == "" {
		port = "3000"
	}
	addr := os.Getenv("HOST") + ":" + port
	http.HandleFunc("/webhook", webhookHandler)
	log.Println("Listening on " + addr)
	// HTTPS when given a certificate; otherwise plain HTTP behind your TLS-terminating proxy.
	if certFile, keyFile := os.Getenv("TLS_CERT_FILE"), os.Getenv("TLS_KEY_FILE"); certFile != "" && keyFile != "" {
		log.Fatal(http.ListenAndServeTLS(addr, certFile, keyFile, nil))
	}
	log.Fatal(http.ListenAndServe(addr, nil))
}
