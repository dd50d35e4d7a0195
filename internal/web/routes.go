package web

import (
	"net/http"
)

func (s *Server) routes() {
	m := http.NewServeMux()
	static := http.FileServerFS(assets)
	m.Handle("GET /static/", static)
	m.HandleFunc("GET /setup", s.handleSetup)
	m.HandleFunc("POST /setup", s.handleSetup)
	m.HandleFunc("GET /login", s.handleLogin)
	m.HandleFunc("POST /login", s.handleLogin)
	m.HandleFunc("GET /lang", s.handleLang)
	m.HandleFunc("GET /metrics", s.handleMetrics)
	m.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte("ok\n")) })
	m.HandleFunc("GET /", s.page(s.handleOverview))
	m.HandleFunc("GET /devices", s.page(s.handleDevices))
	m.HandleFunc("GET /device", s.page(s.handleDevice))
	m.HandleFunc("GET /findings", s.page(s.handleFindings))
	m.HandleFunc("GET /sites", s.page(s.handleSites))
	m.HandleFunc("GET /alerts", s.page(s.handleAlerts))
	m.HandleFunc("GET /users", s.page(s.handleUsers))
	m.HandleFunc("GET /account", s.page(s.handleAccount))
	m.HandleFunc("GET /audit-log", s.page(s.handleAuditLog))
	m.HandleFunc("GET /download", s.page(s.handleDownload))
	m.HandleFunc("POST /logout", s.action(s.handleLogout, true))
	m.HandleFunc("POST /sites/add", s.action(s.handleSiteAdd, false))
	m.HandleFunc("POST /sites/audit", s.action(s.handleSiteAudit, false))
	m.HandleFunc("POST /sites/remove", s.action(s.handleSiteRemove, false))
	m.HandleFunc("POST /sites/schedule", s.action(s.handleSiteSchedule, false))
	m.HandleFunc("POST /accept", s.action(s.handleAccept, false))
	m.HandleFunc("POST /users/add", s.action(s.handleUserAdd, false))
	m.HandleFunc("POST /users/remove", s.action(s.handleUserRemove, false))
	m.HandleFunc("POST /users/role", s.action(s.handleUserRole, false))
	m.HandleFunc("POST /account/password", s.action(s.handlePassword, true))
	s.mux = m
}
