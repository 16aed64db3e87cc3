package live

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/chorus-osint/chorus/internal/config"
)

// Target is a parsed `chorus replay --to` destination.
type Target struct {
	// Kind is "nats", "kafka" or "http".
	Kind string
	// URL is the NATS server URL (nats://host:port) or the HTTP endpoint.
	URL string
	// Subject (NATS) or Topic (Kafka); defaults come from the live config.
	Subject, Topic string
	// Brokers are the Kafka seed brokers.
	Brokers []string
}

// ParseTarget reads nats://host:port[/subject],
// kafka://broker[,broker]/topic, or http(s)://host/api/live/ingest. A
// missing subject or topic takes the --nats-subject / --kafka-topic
// default of lc.
func ParseTarget(raw string, lc config.Live) (Target, error) {
	bad := func(why string) (Target, error) {
		return Target{}, fmt.Errorf("%w: --to %q: %s (want nats://host:port[/subject], kafka://broker[,broker]/topic or http(s)://host/api/live/ingest)", ErrConfig, raw, why)
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok || rest == "" {
		return bad("no scheme")
	}
	host, path, _ := strings.Cut(rest, "/")
	if host == "" {
		return bad("no host")
	}
	switch strings.ToLower(scheme) {
	case "nats":
		t := Target{Kind: "nats", URL: "nats://" + host, Subject: path}
		if t.Subject == "" {
			t.Subject = lc.NATSSubject
		}
		if strings.ContainsAny(t.Subject, " /") || t.Subject == "" {
			return bad("bad subject")
		}
		return t, nil
	case "kafka":
		t := Target{Kind: "kafka", Topic: path}
		for _, b := range strings.Split(host, ",") {
			if b = strings.TrimSpace(b); b != "" {
				t.Brokers = append(t.Brokers, b)
			}
		}
		if t.Topic == "" {
			t.Topic = lc.KafkaTopic
		}
		if len(t.Brokers) == 0 || t.Topic == "" || strings.Contains(t.Topic, "/") {
			return bad("bad brokers or topic")
		}
		return t, nil
	case "http", "https":
		u, err := url.Parse(raw)
		if err != nil || u.Host == "" || u.User != nil {
			return bad("bad URL (credentials go in CHORUS_TOKEN, not the URL)")
		}
		return Target{Kind: "http", URL: raw}, nil
	}
	return bad("unknown scheme " + scheme)
}

// OpenPublisher connects to t. stream is the JetStream stream created
// (capturing the subject) when missing; token is the API token sent to
// an HTTP target.
func OpenPublisher(ctx context.Context, t Target, stream, token string) (Publisher, error) {
	switch t.Kind {
	case "nats":
		return openNATSPublisher(ctx, t.URL, stream, t.Subject)
	case "kafka":
		return openKafkaPublisher(t.Brokers, t.Topic)
	case "http":
		return &httpPublisher{url: t.URL, token: token, client: &http.Client{Timeout: time.Minute}}, nil
	}
	return nil, fmt.Errorf("%w: unknown target kind %q", ErrConfig, t.Kind)
}

// natsPublisher publishes to JetStream and waits for each ack.
type natsPublisher struct {
	nc      *nats.Conn
	js      jetstream.JetStream
	subject string
}

func openNATSPublisher(ctx context.Context, url, stream, subject string) (*natsPublisher, error) {
	nc, err := nats.Connect(url, nats.Name("chorus replay"))
	if err != nil {
		return nil, fmt.Errorf("connect to nats %s: %w", url, err)
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, err
	}
	if stream != "" {
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := EnsureStream(sctx, js, stream, subject)
		cancel()
		if err != nil {
			nc.Close()
			return nil, err
		}
	}
	return &natsPublisher{nc: nc, js: js, subject: subject}, nil
}

func (p *natsPublisher) Publish(ctx context.Context, payload []byte) error {
	_, err := p.js.Publish(ctx, p.subject, payload)
	return err
}

func (p *natsPublisher) Close() error {
	err := p.nc.Drain()
	p.nc.Close()
	return err
}

// kafkaPublisher produces to one topic and waits for each ack.
type kafkaPublisher struct {
	cl *kgo.Client
}

func openKafkaPublisher(brokers []string, topic string, extra ...kgo.Opt) (*kafkaPublisher, error) {
	cl, err := kgo.NewClient(append([]kgo.Opt{
		kgo.SeedBrokers(brokers...),
		kgo.DefaultProduceTopic(topic),
		kgo.AllowAutoTopicCreation(),
		kgo.ProducerBatchMaxBytes(4 << 20),
		kgo.ClientID("chorus-replay"),
	}, extra...)...)
	if err != nil {
		return nil, fmt.Errorf("kafka client: %w", err)
	}
	return &kafkaPublisher{cl: cl}, nil
}

func (p *kafkaPublisher) Publish(ctx context.Context, payload []byte) error {
	return p.cl.ProduceSync(ctx, &kgo.Record{Value: payload}).FirstErr()
}

func (p *kafkaPublisher) Close() error {
	p.cl.Close()
	return nil
}

// httpPublisher POSTs NDJSON to chorus's ingest endpoint with retries on
// network errors, 429 and 5xx.
type httpPublisher struct {
	url    string
	token  string
	client *http.Client
}

func (p *httpPublisher) Publish(ctx context.Context, payload []byte) error {
	wait := 250 * time.Millisecond
	var err error
	for attempt := 0; attempt < 4; attempt++ {
		var retry bool
		if retry, err = p.post(ctx, payload); err == nil || !retry {
			return err
		}
		if !sleepCtx(ctx, wait) {
			return ctx.Err()
		}
		wait *= 2
	}
	return err
}

func (p *httpPublisher) post(ctx context.Context, payload []byte) (retry bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.url, bytes.NewReader(payload))
	if err != nil {
		return false, err
	}
	req.Header.Set("Content-Type", "application/x-ndjson")
	if p.token != "" {
		req.Header.Set("Authorization", "Bearer "+p.token)
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return ctx.Err() == nil, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 4<<10))
	if resp.StatusCode/100 == 2 {
		return false, nil
	}
	err = fmt.Errorf("%s answered %s: %s", p.url, resp.Status, bytes.TrimSpace(body))
	return resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500, err
}

func (p *httpPublisher) Close() error {
	p.client.CloseIdleConnections()
	return nil
}
