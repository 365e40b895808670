// Seed 002 (Axle docs) Go program, verbatim except: the secret comes from WEBHOOK_SECRET,
// the address from HOST/PORT, and it serves TLS (TLS_CERT_FILE/TLS_KEY_FILE). Marked "adapted".
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"log"
	"net/http"
	"os" // adapted
)

// adapted: was `const WebhookSecret = "your_webhook_secret"`
var WebhookSecret = os.Getenv("WEBHOOK_SECRET")

// VerifySignature verifies the HMAC signature of the webhook payload
func VerifySignature(payload []byte, signature string, secret string) bool {
	h := hmac.New(sha256.New, []byte(secret))
	h.Write(payload)
	expectedSignature := hex.EncodeToString(h.Sum(nil))
	return hmac.Equal([]byte(signature), []byte(expectedSignature))
}

func webhookHandler(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "Method not allowed", http.StatusMethodNotAllowed)
		return
	}
	// Read the request body
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "Error reading request body", http.StatusBadRequest)
		return
	}
	defer r.Body.Close()
	// Get the signature from headers
	signature := r.Header.Get("X-Signature")
	if signature == "" {
		http.Error(w, "Missing signature", http.StatusBadRequest)
		return
	}
	// Verify the signature
	if !VerifySignature(body, signature, WebhookSecret) {
		http.Error(w, "Invalid signature", http.StatusUnauthorized)
		return
	}
	// Process the webhook payload here
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	w.Write([]byte(`{"status": "success"}`))
}

func main() {
	http.HandleFunc("/webhook", webhookHandler)
	addr := os.Getenv("HOST") + ":" + os.Getenv("PORT") // adapted: was ":8080"
	log.Println("Server starting on " + addr)
	// adapted: was http.ListenAndServe(":8080", nil)
	if err := http.ListenAndServeTLS(addr, os.Getenv("TLS_CERT_FILE"), os.Getenv("TLS_KEY_FILE"), nil); err != nil {
		log.Fatal(err)
	}
}
