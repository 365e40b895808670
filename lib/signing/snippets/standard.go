// Hookrelay webhook receiver, Standard Webhooks format - Go standard library only.
// Run: WEBHOOK_SECRET=whsec_... PORT=3000 go run receiver.go
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

const toleranceSeconds = 5 * 60

var key []byte // the base64-decoded part of WEBHOOK_SECRET after "whsec_"

// verify is true when one of the space-separated "v1,<base64>" signatures is HMAC-SHA256(key, "{id}.{timestamp}.{body}").
func verify(body []byte, header http.Header) bool {
	id, timestamp, signatures := header.Get("webhook-id"), header.Get("webhook-timestamp"), header.Get("webhook-signature")
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if id == "" || signatures == "" || err != nil || ts < 0 {
		return false
	}
	if age := time.Now().Unix() - ts; age > toleranceSeconds || age < -toleranceSeconds { // refuse replays
		return false
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + timestamp + "."))
	mac.Write(body)
	expected := mac.Sum(nil)
	for _, entry := range strings.Split(signatures, " ") {
		version, signature, _ := strings.Cut(entry, ",")
		received, err := base64.StdEncoding.DecodeString(signature)
		if version == "v1" && err == nil && hmac.Equal(received, expected) {
			return true
		}
	}
	return false
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
	if !verify(body, r.Header) {
		http.Error(w, `{"error":"invalid signature"}`, http.StatusUnauthorized)
		return
	}
	// Deliveries are at least once: skip a webhook-id you have already processed.
	log.Println("received", r.Header.Get("webhook-id"))
	w.Header().Set("Content-Type", "application/json")
	w.Write([]byte(`{"ok":true}`))
}

func main() {
	secret := os.Getenv("WEBHOOK_SECRET") // the endpoint's signing secret, "whsec_..."
	var err error
	if key, err = base64.StdEncoding.DecodeString(strings.TrimPrefix(secret, "whsec_")); err != nil || len(key) == 0 {
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
